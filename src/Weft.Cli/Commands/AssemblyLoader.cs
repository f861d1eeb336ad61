using System.Reflection;

namespace Weft.Cli.Commands;

/// <summary>Loads the user's assemblies named by <c>--assembly</c> and registers their
/// <see cref="WeftFunctionAttribute"/> methods with the engine.</summary>
internal static class AssemblyLoader
{
    /// <summary>False (with the reason on <paramref name="error"/>) when an assembly cannot be loaded.</summary>
    public static bool TryRegisterAll(WeftEngine engine, IReadOnlyList<string> paths, TextWriter error) =>
        TryRegisterAll(engine.Functions, paths, error);

    /// <summary>The same for a function registry of its own (a cluster worker's).</summary>
    public static bool TryRegisterAll(Handlers.FunctionRegistry functions, IReadOnlyList<string> paths, TextWriter error)
    {
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                error.WriteLine($"error: assembly not found: {path}");
                return false;
            }

            Assembly assembly;
            try
            {
                // LoadFrom (not LoadFromAssemblyPath) so the assembly's own dependencies are found next to it.
                assembly = Assembly.LoadFrom(full);
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
            {
                error.WriteLine($"error: cannot load assembly {path}: {ex.Message}");
                return false;
            }

            try
            {
                functions.RegisterAssembly(assembly);
            }
            catch (Exception ex) when (ex is WeftConfigurationException or ArgumentException or ReflectionTypeLoadException)
            {
                error.WriteLine($"error: cannot register functions from {path}: {ex.Message}");
                return false;
            }
        }

        return true;
    }
}
