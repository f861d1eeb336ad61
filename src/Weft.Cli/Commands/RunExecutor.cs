using Weft.Cli.Output;
using Weft.Definitions;
using Weft.Secrets;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary>The body of <c>weft run</c>: check the input, load, start an engine, submit, show
/// progress, print the outcome, map it to an exit code. Every input problem is found before anything
/// runs and exits 2.</summary>
internal static class RunExecutor
{
    // How long the event printer may lag behind the end of the run before it is cut off.
    private static readonly TimeSpan WatchGrace = TimeSpan.FromSeconds(2);

    public static async Task<int> ExecuteAsync(RunRequest request, CliIo io, CancellationToken ct)
    {
        if (StoreChoice.Check(request.Store) is { } storeError)
        {
            io.Error.WriteLine($"error: {storeError}");
            return ExitCodes.InvalidInput;
        }

        if (request.File is null == request.Resume is null)
        {
            io.Error.WriteLine(request.File is null
                ? "error: give a workflow FILE to run, or --resume ID to continue a run"
                : "error: give either a workflow FILE or --resume ID, not both");
            return ExitCodes.InvalidInput;
        }

        var parameters = ParameterParser.Parse(request.Parameters);
        if (!parameters.IsValid)
        {
            WriteErrors(io.Error, parameters.Errors);
            return ExitCodes.InvalidInput;
        }

        // Plug-ins first: their kinds must be known to read the file.
        var kinds = Plugins.TaskKinds.Load(request.Configuration, request.Plugins, io.Error);
        if (kinds is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using var kindsLifetime = kinds.ConfigureAwait(false);
        WorkflowDefinition? definition = null;
        if (request.File is not null)
        {
            definition = WorkflowFile.LoadOrReport(request.File, io.Error, kinds.LoadOptions);
            if (definition is null)
            {
                return ExitCodes.InvalidInput;
            }
        }

        if (StoreChoice.TryParse(request.Store, out _) is { IsCluster: true } cluster)
        {
            // The workers run the tasks, with the connections and plug-ins they were given.
            return await SubmitToClusterAsync(request, definition, parameters.Values, cluster, io, ct).ConfigureAwait(false);
        }

        if (definition is not null && UnknownConnections(definition, kinds) is { Count: > 0 } unknown)
        {
            WriteErrors(io.Error, unknown);
            return ExitCodes.InvalidInput;
        }

        // Registered before the engine starts so a Ctrl+C at any point is ours, not the runtime's.
        using var interrupt = InterruptSignal.Register(io.Error);
        var session = await EngineSession.OpenAsync(request.Store, request.Workers, io.Error, ct, request.Configuration, kinds).ConfigureAwait(false);
        if (session is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using (session.ConfigureAwait(false))
        {
            var engine = session.Engine;
            if (!AssemblyLoader.TryRegisterAll(engine, request.Assemblies, io.Error) || !kinds.RegisterFunctions(engine.Functions, io.Error))
            {
                return ExitCodes.InvalidInput;
            }

            RunHandle handle;
            try
            {
                var resume = request.Resume is { } given ? await RunIdResolver.ResolveAsync(engine.Store, given, session.Choice.Describe(), ct).ConfigureAwait(false) : null;
                await session.ReportUnfinishedAsync(io.Error, resume).ConfigureAwait(false);
                handle = definition is not null
                    ? await engine.SubmitAsync(definition, parameters.Values, request.SubmitOptions(), ct).ConfigureAwait(false)
                    : await engine.ResumeAsync(resume!, ct).ConfigureAwait(false);
            }
            catch (RunIdProblem problem)
            {
                return problem.Report(io.Error);
            }
            catch (WeftDuplicateRunException) when (request.DedupKey is not null)
            {
                return await DedupReport.ExistingRunAsync(engine.Store, request, io, ct).ConfigureAwait(false);
            }
            catch (WorkflowValidationException ex)
            {
                foreach (var error in ex.Errors)
                {
                    io.Error.WriteLine(error.ToString());
                }

                return ExitCodes.InvalidInput;
            }
            catch (WeftConfigurationException ex)
            {
                WriteErrors(io.Error, ex.Errors);
                return ExitCodes.InvalidInput;
            }
            catch (WeftRunOwnedException ex)
            {
                // Live in another process: running it here too would run its tasks twice.
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (KeyNotFoundException ex)
            {
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (WeftStoreException ex)
            {
                // A read-only, corrupt or full database: nothing ran.
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }

            return await FollowAndReportAsync(engine, handle, request.Json, interrupt, io).ConfigureAwait(false);
        }
    }

    /// <summary>A local run checks the connections its <c>sql:</c> tasks name before anything runs: a
    /// typo is an input error, not a failed run.</summary>
    private static List<string> UnknownConnections(WorkflowDefinition definition, Plugins.TaskKinds kinds)
    {
        List<string> problems = [];
        foreach (var name in definition.Tasks.Select(t => t.Spec).OfType<SqlSpec>().Select(s => s.Connection).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (kinds.Sql.Pools.Directory.Find(name, out var problem) is null)
            {
                var tasks = definition.Tasks.Where(t => t.Spec is SqlSpec s && string.Equals(s.Connection, name, StringComparison.OrdinalIgnoreCase)).Select(t => $"'{t.Id}'");
                problems.Add($"task {string.Join(", ", tasks)}: {problem}");
            }
        }

        return problems;
    }

    private static async Task<int> SubmitToClusterAsync(
        RunRequest request, WorkflowDefinition? definition, IReadOnlyDictionary<string, string> parameters, StoreChoice choice, CliIo io, CancellationToken ct)
    {
        Storage.IWeftStore store;
        try
        {
            store = await choice.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (Storage.WeftStoreException ex)
        {
            io.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        await using (store.ConfigureAwait(false))
        {
            return await ClusterRunExecutor.ExecuteAsync(request, definition, parameters, (Cluster.IClusterStore)store, io, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Follows a submitted (or resumed, or retried) run to its end, with Ctrl+C cancelling
    /// it, prints the summary or the JSON document, and maps the outcome to the exit code. When the
    /// store fails before the run's end is recorded (a full disk), says so and how to continue, and
    /// exits 2: the run is not finished, whatever its tasks did.</summary>
    public static async Task<int> FollowAndReportAsync(WeftEngine engine, RunHandle handle, bool json, InterruptSignal interrupt, CliIo io)
    {
        // Runs at once when the signal came before the run existed.
        using var cancelOnInterrupt = interrupt.Token.Register(() => _ = CancelQuietlyAsync(engine, handle.RunId));
        var masker = await RunMasks.ForAsync(engine.Store, handle.RunId).ConfigureAwait(false);
        RunSnapshot final;
        try
        {
            final = masker.Apply(await FollowAsync(engine, handle, json, masker, io).ConfigureAwait(false));
        }
        catch (WeftStoreException ex)
        {
            io.Error.WriteLine($"error: {masker.Apply(ex.Message)}");
            io.Error.WriteLine($"error: run {handle.RunId} is not finished: the store holds it as it was at the last change it recorded; " +
                $"once the store is fixed, continue it with `weft runs resume {handle.RunId}`");
            return ExitCodes.InvalidInput;
        }

        if (json)
        {
            io.Out.WriteLine(RunJson.ToJson(final));
        }
        else
        {
            SummaryTable.Write(io.Ansi, final);
        }

        return ExitCodes.ForRun(final.State);
    }

    // Shows progress in the form that suits the output, and returns the final picture.
    private static async Task<RunSnapshot> FollowAsync(WeftEngine engine, RunHandle handle, bool json, SecretMasker masker, CliIo io)
    {
        var completion = handle.WaitAsync();

        // A run that had already finished (resuming a finished run) has nothing left to follow.
        if (json || completion.IsCompleted)
        {
            return await completion.ConfigureAwait(false);
        }

        if (io.OutIsTerminal)
        {
            await ProgressView.ShowAsync(io.Ansi, () => engine.GetRun(handle.RunId) is { } run ? masker.Apply(run) : null, completion, TimeProvider.System).ConfigureAwait(false);
            return await completion.ConfigureAwait(false);
        }

        using var stopWatching = new CancellationTokenSource();
        var printer = PrintEventsAsync(engine, handle.RunId, masker, io.Out, stopWatching.Token);
        var final = await completion.ConfigureAwait(false);
        try
        {
            await printer.WaitAsync(WatchGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
        }

        return final;
    }

    private static async Task PrintEventsAsync(WeftEngine engine, string runId, SecretMasker masker, TextWriter output, CancellationToken ct)
    {
        var lines = new EventLine(TimeZoneInfo.Local);
        try
        {
            await foreach (var e in engine.WatchAsync(runId, ct).ConfigureAwait(false))
            {
                if (lines.Format(masker.Apply(e)) is { } line)
                {
                    output.WriteLine(line);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cut off after the run ended; the summary follows.
        }
        catch (WeftStoreException)
        {
            // The store failed before the run's end was recorded; the caller reports it.
        }
    }

    private static async Task CancelQuietlyAsync(WeftEngine engine, string runId)
    {
        try
        {
            await engine.CancelAsync(runId).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A failed cancel leaves the run to end by itself; the summary shows how it ended.
        }
    }

    private static void WriteErrors(TextWriter error, IEnumerable<string> errors)
    {
        foreach (var message in errors)
        {
            error.WriteLine($"error: {message}");
        }
    }
}
