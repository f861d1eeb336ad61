using System.Reflection;
using Weft.Configuration;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;
using Weft.Sql;

namespace Weft.Cli.Plugins;

/// <summary>The kinds a <c>weft</c> process runs beyond the core's: <c>sql:</c> over the configured
/// connections, and the plug-ins' kinds. <c>weft run</c>, <c>server</c> and <c>worker</c> hand
/// <see cref="Handlers"/> to their engine or worker; <c>weft validate</c> and every command that reads a
/// workflow file read it with <see cref="LoadOptions"/>, so a plug-in's kind is known there too.
/// Disposing closes the connection pools.</summary>
internal sealed class TaskKinds : IAsyncDisposable
{
    private TaskKinds(SqlHandler sql, PluginSet plugins)
    {
        Sql = sql;
        Plugins = plugins;
    }

    public SqlHandler Sql { get; }

    public PluginSet Plugins { get; }

    public IEnumerable<ITaskHandler> Handlers => [Sql, .. Plugins.Handlers];

    public WorkflowLoadOptions LoadOptions => new() { ExtraKinds = Plugins.Kinds };

    /// <summary>The kinds for a command, or null with the problems written (exit 2).</summary>
    public static TaskKinds? Load(WeftConfiguration? configuration, IReadOnlyList<string> plugins, TextWriter error)
    {
        if (PluginSet.Load(plugins, Names.BuiltInKinds, error) is not { } loaded)
        {
            return null;
        }

        var connections = configuration?.Settings.Connections ?? new Dictionary<string, ConnectionSettings>();
        return new TaskKinds(new SqlHandler(new SqlPools(SqlConnectionDirectory.FromProcess(connections))), loaded);
    }

    /// <summary>Adds the handlers to an engine's or a worker's list.</summary>
    public void AddTo(ICollection<ITaskHandler> handlers)
    {
        foreach (var handler in Handlers)
        {
            handlers.Add(handler);
        }
    }

    /// <summary>Registers the plug-ins' <c>[WeftFunction]</c> methods; false (with the reason written) on a clash.</summary>
    public bool RegisterFunctions(FunctionRegistry functions, TextWriter error)
    {
        foreach (var assembly in Plugins.Assemblies)
        {
            try
            {
                functions.RegisterAssembly(assembly);
            }
            catch (Exception ex) when (ex is WeftConfigurationException or ArgumentException or ReflectionTypeLoadException)
            {
                error.WriteLine($"error: cannot register functions from plugin {assembly.Location}: {ex.Message}");
                return false;
            }
        }

        return true;
    }

    public ValueTask DisposeAsync() => Sql.DisposeAsync();
}
