using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary>A store and an engine over it for one command, disposed together (engine first, so
/// its last batch reaches the store). Every problem opening them is reported as an input error.</summary>
internal sealed class EngineSession : IAsyncDisposable
{
    // The kinds this session made for itself (sql: with the configuration's connections), closed with it.
    private readonly Plugins.TaskKinds? _ownKinds;

    private EngineSession(IWeftStore store, WeftEngine engine, StoreChoice choice, Plugins.TaskKinds? ownKinds)
    {
        Store = store;
        Engine = engine;
        Choice = choice;
        _ownKinds = ownKinds;
    }

    public IWeftStore Store { get; }

    public WeftEngine Engine { get; }

    public StoreChoice Choice { get; }

    /// <summary>Opens the store named by <paramref name="store"/> and starts an engine on it; null
    /// (with the errors written) when that is not possible. <paramref name="configuration"/>, when given, sets the engine's options over <paramref name="workers"/>.</summary>
    public static async Task<EngineSession?> OpenAsync(
        string? store, int workers, TextWriter error, CancellationToken ct, Configuration.WeftConfiguration? configuration = null, Plugins.TaskKinds? kinds = null)
    {
        if (StoreChoice.TryParse(store, out var problem) is not { } choice)
        {
            error.WriteLine($"error: {problem}");
            return null;
        }

        if (choice.IsCluster)
        {
            // The cluster's leading server is its one scheduler: control goes through it.
            error.WriteLine($"error: {choice.Describe()} is a cluster store; its runs are controlled by the leading weft server: use --server URL (weft runs list/show/output read the store directly)");
            return null;
        }

        IWeftStore opened;
        try
        {
            opened = await choice.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (WeftStoreException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return null;
        }

        // A command that does not load plug-ins (runs resume, status) still runs and shows sql: tasks.
        var ownKinds = kinds is null ? Plugins.TaskKinds.Load(configuration, [], error) : null;
        kinds ??= ownKinds;
        try
        {
            var engine = WeftEngine.Create(o =>
            {
                o.Workers = workers;
                configuration?.ApplyTo(o);
                o.Store = opened;
                kinds?.AddTo(o.Handlers);

                // A one-shot command must not take a server's schedule ticks on a shared store: its
                // process ends with the command, and the tick's run with it.
                o.Schedules.Enabled = false;
            });
            return new EngineSession(opened, engine, choice, ownKinds);
        }
        catch (WeftConfigurationException ex)
        {
            foreach (var message in ex.Errors)
            {
                error.WriteLine($"error: {message}");
            }

            await opened.DisposeAsync().ConfigureAwait(false);
            if (ownKinds is not null)
            {
                await ownKinds.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }
    }

    /// <summary>Says on stderr which runs a crash left unfinished, so the user knows to resume them.</summary>
    public async Task ReportUnfinishedAsync(TextWriter error, string? except = null)
    {
        if (!Store.IsDurable)
        {
            return;
        }

        var ids = (await Engine.FindUnfinishedRunsAsync().ConfigureAwait(false)).Where(id => id != except).ToList();
        if (ids.Count > 0)
        {
            error.WriteLine($"note: {ids.Count} unfinished run(s) in {Choice.Describe()} (a crash, or still running elsewhere): " +
                string.Join(", ", ids.Take(5)) + (ids.Count > 5 ? ", …" : "") + "; continue one with `weft runs resume ID`");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        if (_ownKinds is not null)
        {
            await _ownKinds.DisposeAsync().ConfigureAwait(false);
        }
    }
}
