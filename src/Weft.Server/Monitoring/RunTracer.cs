using System.Collections.Concurrent;
using System.Diagnostics;
using Weft.Monitoring;
using Weft.Server.Runs;

namespace Weft.Server.Monitoring;

/// <summary>Spans on <c>ActivitySource("Weft")</c> built from a run's events for an engine whose tasks
/// run in other processes (a cluster's scheduler, a NATS transport): a <c>weft.run</c> root span and a
/// <c>weft.task</c> child span per attempt. An engine that runs its tasks on slots of its own traces
/// every run in the core (Telemetry/WeftTracing), whoever submitted it, so this does nothing for it
/// (no span twice).</summary>
internal sealed class RunTracer(WeftEngine engine, RunSecrets secrets)
{
    public static readonly ActivitySource Source = new(WeftMetrics.Name);

    // A remote dispatcher has no pool of its own (its status is empty); fixed for the engine's life.
    private readonly Lazy<bool> _tasksRunElsewhere = new(() => engine.GetStatus().Pool.MaxWorkers == 0);

    /// <summary>Starts following <paramref name="runId"/> in the background when the source has listeners.</summary>
    public void Follow(string runId)
    {
        if (Source.HasListeners() && _tasksRunElsewhere.Value)
        {
            _ = Task.Run(() => TraceAsync(runId));
        }
    }

    private async Task TraceAsync(string runId)
    {
        // Each run is its own trace, not a child of whatever request happened to submit it.
        Activity.Current = null;
        Activity? run = null;
        var attempts = new ConcurrentDictionary<string, Activity>(StringComparer.Ordinal);
        try
        {
            await foreach (var e in engine.WatchAsync(runId).ConfigureAwait(false))
            {
                switch (e.Kind)
                {
                    case RunEventKind.RunStarted:
                        run = Source.StartActivity("weft.run", ActivityKind.Internal, parentContext: default, startTime: e.At);
                        run?.SetTag("weft.run_id", runId);
                        break;
                    case RunEventKind.TaskStarted when run is not null:
                        var task = Source.StartActivity("weft.task", ActivityKind.Internal, run.Context, startTime: e.At);
                        if (task is not null)
                        {
                            task.SetTag("weft.run_id", runId).SetTag("weft.task_id", e.TaskId).SetTag("weft.attempt", e.Attempt);
                            attempts[e.TaskId!] = task;
                        }

                        break;
                    case RunEventKind.TaskSucceeded or RunEventKind.TaskFailed or RunEventKind.TaskTimedOut
                        or RunEventKind.TaskCancelled or RunEventKind.TaskRetrying:
                        if (e.TaskId is { } id && attempts.TryRemove(id, out var attempt))
                        {
                            var ok = e.Kind == RunEventKind.TaskSucceeded;
                            attempt.SetStatus(ok ? ActivityStatusCode.Ok : ActivityStatusCode.Error,
                                e.Error is null ? null : (await secrets.MaskerAsync(runId).ConfigureAwait(false)).Apply(e.Error));
                            attempt.SetEndTime(e.At.UtcDateTime);
                            attempt.Dispose();
                        }

                        break;
                    case RunEventKind.RunFinished when run is not null:
                        run.SetTag("weft.state", e.RunState?.ToName());
                        run.SetStatus(e.RunState == RunState.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
                        run.SetEndTime(e.At.UtcDateTime);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ObjectDisposedException or OperationCanceledException)
        {
            // The run is gone or the engine stopped: close what is open and stop tracing.
        }
        finally
        {
            foreach (var open in attempts.Values)
            {
                open.Dispose();
            }

            run?.Dispose();
        }
    }
}
