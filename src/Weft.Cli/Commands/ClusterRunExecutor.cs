using System.Globalization;
using Weft.Cli.Output;
using Weft.Cluster;
using Weft.Definitions;

namespace Weft.Cli.Commands;

/// <summary><c>weft run FILE --store postgres://…</c>: the run is recorded in the cluster's store (the
/// scheduler takes it up, workers run it) and followed from the store until it ends. Ctrl+C stops
/// following; the run goes on in the cluster.</summary>
internal static class ClusterRunExecutor
{
    public static async Task<int> ExecuteAsync(RunRequest request, WorkflowDefinition? definition, IReadOnlyDictionary<string, string> parameters, IClusterStore store, CliIo io, CancellationToken ct)
    {
        using var interrupt = InterruptSignal.Register(io.Error, "stopped following; the run goes on in the cluster");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, interrupt.Token);
        var client = new ClusterClient(store);
        string runId;
        if (definition is not null)
        {
            try
            {
                runId = await client.SubmitAsync(definition, parameters, request.SubmitOptions(), kinds: null, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (WeftDuplicateRunException) when (request.DedupKey is not null)
            {
                return await DedupReport.ExistingRunAsync(store, request, io, ct).ConfigureAwait(false);
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
                foreach (var error in ex.Errors)
                {
                    io.Error.WriteLine($"error: {error}");
                }

                return ExitCodes.InvalidInput;
            }

            if (!request.Json)
            {
                io.Out.WriteLine($"submitted run {runId} to the cluster; waiting for the scheduler and workers");
            }
        }
        else
        {
            try
            {
                runId = await RunIdResolver.ResolveAsync(store, request.Resume!, "the cluster's store", ct).ConfigureAwait(false);
            }
            catch (RunIdProblem problem)
            {
                return problem.Report(io.Error);
            }
        }

        var masker = await RunMasks.ForAsync(store, runId, ct).ConfigureAwait(false);
        var lines = request.Json ? null : new StateLines(io.Out);
        RunSnapshot final;
        try
        {
            final = masker.Apply(await client.WaitAsync(runId, lines is null ? null : run => lines.Show(masker.Apply(run)), cancellationToken: linked.Token).ConfigureAwait(false));
        }
        catch (KeyNotFoundException ex)
        {
            io.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (interrupt.IsRequested)
        {
            io.Error.WriteLine($"run {runId} goes on in the cluster; follow it with: weft runs show {runId}");
            return ExitCodes.Cancelled;
        }

        if (request.Json)
        {
            io.Out.WriteLine(RunJson.ToJson(final));
        }
        else
        {
            SummaryTable.Write(io.Ansi, final);
        }

        return ExitCodes.ForRun(final.State);
    }

    /// <summary>One line per task state change seen between two readings of the run.</summary>
    private sealed class StateLines(TextWriter output)
    {
        private readonly Dictionary<string, (TaskState State, int Attempts)> _seen = new(StringComparer.Ordinal);

        public void Show(RunSnapshot run)
        {
            var time = DateTimeOffset.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            foreach (var task in run.Tasks)
            {
                if (_seen.TryGetValue(task.TaskId, out var before) && before == (task.State, task.Attempts))
                {
                    continue;
                }

                _seen[task.TaskId] = (task.State, task.Attempts);
                if (task.State is TaskState.Pending or TaskState.Queued)
                {
                    continue;
                }

                var attempt = task.Attempts > 1 ? $" (attempt {task.Attempts})" : "";
                var error = task.Error is { Length: > 0 } e && task.State is not TaskState.Succeeded ? $": {e}" : "";
                output.WriteLine(TerminalText.Clean($"{time} {task.TaskId} {task.State.ToName()}{attempt}{error}"));
            }
        }
    }
}
