using System.Reflection;
using Weft.Execution;

namespace Weft.Cli.Plugins;

/// <summary>The plug-ins of one process (<c>--plugin PATH.dll</c>, repeatable, and <c>plugins:</c> of
/// the configuration): each assembly loaded in a context of its own, its public <see cref="ITaskHandler"/>
/// types made (each needs a public constructor without parameters) and its <c>[WeftFunction]</c> methods
/// kept for the function registry. A kind claimed twice, or a built-in one, is refused: which handler
/// would run it must never depend on the order of flags.</summary>
internal sealed class PluginSet
{
    private PluginSet(IReadOnlyList<ITaskHandler> handlers, IReadOnlyList<Assembly> assemblies)
    {
        Handlers = handlers;
        Assemblies = assemblies;
    }

    public static readonly PluginSet Empty = new([], []);

    public IReadOnlyList<ITaskHandler> Handlers { get; }

    public IReadOnlyList<Assembly> Assemblies { get; }

    public IReadOnlyCollection<string> Kinds => [.. Handlers.Select(h => h.Kind)];

    /// <summary>The plug-ins at <paramref name="paths"/>, or null with every problem written as
    /// <c>error: …</c> (the command then exits 2).</summary>
    public static PluginSet? Load(IReadOnlyList<string> paths, IReadOnlyCollection<string> builtInKinds, TextWriter error)
    {
        if (paths.Count == 0)
        {
            return Empty;
        }

        var handlers = new List<ITaskHandler>();
        var assemblies = new List<Assembly>();
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (LoadOne(path, error) is not { } loaded)
            {
                ok = false;
                continue;
            }

            assemblies.Add(loaded.Assembly);
            foreach (var handler in loaded.Handlers)
            {
                var owner = $"{path} ({handler.GetType().FullName})";
                if (builtInKinds.Contains(handler.Kind))
                {
                    error.WriteLine($"error: plugin {owner} claims the kind '{handler.Kind}', which is built in");
                    ok = false;
                }
                else if (!claimed.TryAdd(handler.Kind, owner))
                {
                    error.WriteLine($"error: the kind '{handler.Kind}' is claimed by two plugins: {claimed[handler.Kind]} and {owner}");
                    ok = false;
                }
                else
                {
                    handlers.Add(handler);
                }
            }
        }

        return ok ? new PluginSet(handlers, assemblies) : null;
    }

    private static (Assembly Assembly, List<ITaskHandler> Handlers)? LoadOne(string path, TextWriter error)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            error.WriteLine($"error: plugin not found: {path}" + (Directory.Exists(full) ? " is a directory; name the plugin's .dll in it" : ""));
            return null;
        }

        Assembly assembly;
        Type[] types;
        try
        {
            assembly = new PluginLoadContext(full).LoadFromAssemblyPath(full);
            types = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            error.WriteLine($"error: cannot load plugin {path}: {Reason(ex)}");
            return null;
        }

        var handlers = new List<ITaskHandler>();
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITaskHandler).IsAssignableFrom(t)))
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                error.WriteLine($"error: plugin {path}: {type.FullName} implements ITaskHandler but has no public constructor without parameters");
                return null;
            }

            try
            {
                var handler = (ITaskHandler)Activator.CreateInstance(type)!;
                if (string.IsNullOrWhiteSpace(handler.Kind) || !handler.Kind.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                {
                    error.WriteLine($"error: plugin {path}: {type.FullName} has the kind '{handler.Kind}'; a kind is letters, digits, '_' and '-'");
                    return null;
                }

                handlers.Add(handler);
            }
            catch (TargetInvocationException ex)
            {
                error.WriteLine($"error: plugin {path}: creating {type.FullName} failed: {ex.InnerException?.Message ?? ex.Message}");
                return null;
            }
        }

        var functions = types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static)).Any(m => m.GetCustomAttribute<WeftFunctionAttribute>() is not null);
        if (handlers.Count == 0 && !functions)
        {
            error.WriteLine($"error: plugin {path} has no public ITaskHandler type and no [WeftFunction] method");
            return null;
        }

        return (assembly, handlers);
    }

    private static string Reason(Exception ex) => ex is ReflectionTypeLoadException r && r.LoaderExceptions.FirstOrDefault(e => e is not null) is { } first
        ? first.Message
        : ex.Message;
}
