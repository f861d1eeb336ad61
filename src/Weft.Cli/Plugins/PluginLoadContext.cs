using System.Reflection;
using System.Runtime.Loader;

namespace Weft.Cli.Plugins;

/// <summary>The load context of one plug-in: its own dependencies come from its folder (by its
/// .deps.json), so two plug-ins may carry different versions of a library; what the host already has
/// loaded (Weft.Core above all, so <c>ITaskHandler</c> is one type on both sides, and the framework) is
/// shared.</summary>
internal sealed class PluginLoadContext(string path) : AssemblyLoadContext($"weft-plugin:{System.IO.Path.GetFileName(path)}")
{
    private readonly AssemblyDependencyResolver _resolver = new(path);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(assemblyName, a.GetName()))
            || assemblyName.Name is "Weft.Core")
        {
            return null;
        }

        return _resolver.ResolveAssemblyToPath(assemblyName) is { } resolved ? LoadFromAssemblyPath(resolved) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } resolved ? LoadUnmanagedDllFromPath(resolved) : IntPtr.Zero;
}
