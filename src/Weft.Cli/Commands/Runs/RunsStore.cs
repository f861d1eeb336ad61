using System.CommandLine;
using Weft.Cli.Output;
using Weft.Storage;

namespace Weft.Cli.Commands.Runs;

/// <summary>The store a <c>weft runs</c> command reads, opened without an engine. A SQLite file
/// that does not exist yet is read as an empty store instead of being created, so looking at the
/// history never leaves a database behind. The memory store is refused: it holds nothing between
/// commands.</summary>
internal sealed class RunsStore : IAsyncDisposable
{
    private const int RedirectedWidth = 200;

    private RunsStore(IWeftStore store, StoreChoice choice)
    {
        Store = store;
        Choice = choice;
    }

    public IWeftStore Store { get; }

    public StoreChoice Choice { get; }

    /// <summary>"sqlite:PATH", as error messages name the store.</summary>
    public string Name => Choice.Describe();

    /// <summary>The <c>--store</c> option, with the same meaning as on <c>weft run</c>.</summary>
    public static Option<string?> CreateOption() => new("--store")
    {
        Description = $"The store holding the runs: sqlite:PATH or sqlite (= {StoreChoice.DefaultSqlitePath}, the default). Default: ${StoreChoice.Variable}, else sqlite.",
        HelpName = "STORE",
    };

    /// <summary>Parses <paramref name="store"/> for a command that needs runs recorded by earlier
    /// processes; null (with the error written) when it names no such store.</summary>
    public static StoreChoice? Choose(string? store, TextWriter error)
    {
        if (StoreChoice.TryParse(store, out var problem) is not { } choice)
        {
            error.WriteLine($"error: {problem}");
            return null;
        }

        if (choice.Kind == StoreKind.Memory)
        {
            error.WriteLine($"error: the memory store keeps no runs between commands; give --store sqlite:PATH (or set {StoreChoice.Variable})");
            return null;
        }

        // Before the "a file that does not exist holds no runs" shortcut: a directory, or a file
        // in a directory that does not exist, is a mistake to name, not an empty store.
        if (choice.PathProblem() is { } pathProblem)
        {
            error.WriteLine($"error: {pathProblem}");
            return null;
        }

        return choice;
    }

    /// <summary>True when the store exists (a SQLite file that was never written holds no runs).</summary>
    public static bool Exists(StoreChoice choice) => choice.Kind != StoreKind.Sqlite || File.Exists(choice.Path);

    /// <summary>Opens the store for reading; null (with the error written) when that is not possible.</summary>
    public static async Task<RunsStore?> OpenAsync(string? store, TextWriter error, CancellationToken ct)
    {
        if (Choose(store, error) is not { } choice)
        {
            return null;
        }

        if (!Exists(choice))
        {
            return new RunsStore(new MemoryStore(), choice);
        }

        try
        {
            return new RunsStore(await choice.OpenAsync(ct).ConfigureAwait(false), choice);
        }
        catch (WeftStoreException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return null;
        }
    }

    /// <summary>Opens the store and an engine on it for a command that acts on the recorded run
    /// <paramref name="runId"/>; null (with the error written) when that is not possible, including
    /// when the store is a SQLite file that does not exist (it holds no runs).</summary>
    public static async Task<EngineSession?> OpenEngineAsync(string? store, string runId, TextWriter error, CancellationToken ct)
    {
        if (Choose(store, error) is not { } choice)
        {
            return null;
        }

        if (!Exists(choice))
        {
            error.WriteLine($"error: no run with id '{runId}' in {choice.Describe()} (the file does not exist)");
            return null;
        }

        return await EngineSession.OpenAsync(store, RunRequest.DefaultWorkers, error, ct).ConfigureAwait(false);
    }

    /// <summary>Opens the store, finds run <paramref name="runId"/> (or the one run whose id starts with
    /// it) and hands both to <paramref name="body"/>, which uses the snapshot's full id; an unknown run
    /// or a store problem is reported as an input error.</summary>
    public static async Task<int> WithRunAsync(string? store, string runId, CliIo io, Func<RunsStore, RunSnapshot, Task<int>> body, CancellationToken ct)
    {
        var opened = await OpenAsync(store, io.Error, ct).ConfigureAwait(false);
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using (opened.ConfigureAwait(false))
        {
            return await GuardAsync(io.Error, async () =>
            {
                var fullId = await RunIdResolver.ResolveAsync(opened.Store, runId, opened.Name, ct).ConfigureAwait(false);
                if (await opened.Store.GetRunAsync(fullId, ct).ConfigureAwait(false) is not { } run)
                {
                    io.Error.WriteLine($"error: no run with id '{runId}' in {opened.Name}");
                    return ExitCodes.InvalidInput;
                }

                if (opened.Store is Cluster.IClusterStore cluster)
                {
                    run = await Cluster.QueuedTaskStates.ApplyAsync(cluster, run, ct).ConfigureAwait(false);
                }

                // What a person reads shows secret parameters as ***, as `weft run` and the server do.
                var masker = await RunMasks.ForAsync(opened.Store, fullId, ct).ConfigureAwait(false);
                return await body(opened, masker.Apply(run)).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a command body; a store that cannot do what was asked (a locked or corrupt
    /// database, output encrypted with a key we do not have), or a run id that names no single run,
    /// is reported as an input error.</summary>
    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (RunIdProblem problem)
        {
            return problem.Report(error);
        }
        catch (WeftStoreException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
    }

    /// <summary>Lets tables printed to a pipe or a file use long lines rather than wrapping run ids
    /// and times at the 80 columns Spectre assumes when there is no terminal.</summary>
    public static void WidenWhenRedirected(CliIo io)
    {
        if (!io.OutIsTerminal)
        {
            io.Ansi.Profile.Width = Math.Max(io.Ansi.Profile.Width, RedirectedWidth);
        }
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
