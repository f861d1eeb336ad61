using Weft.Scheduling;

namespace Weft;

public sealed partial class WeftEngine
{
    // A finished run leaves the engine's memory once it has been finished for KeepFinishedRuns (the
    // store keeps it; the server and `weft runs` read it from there). Without this, a server running
    // schedules for months held every run it had ever finished, outputs included. Runs are forgotten
    // in the order they finished, a few at a time as later runs finish: no timer, nothing per task.
    private readonly Queue<(DateTimeOffset FinishedAt, RunExecution Run)> _finishedRuns = new();

    /// <summary>Notes runs just announced finished, and forgets those finished long enough ago.</summary>
    private void ForgetLater(IReadOnlyList<RunExecution> finished)
    {
        if (_options.KeepFinishedRuns is not { } keep || finished.Count == 0)
        {
            return;
        }

        if (keep < _options.DedupWindow)
        {
            keep = _options.DedupWindow; // a duplicate submission within the window gets the run's handle
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var run in finished)
            {
                _finishedRuns.Enqueue((now, run));
            }

            while (_finishedRuns.TryPeek(out var oldest) && now - oldest.FinishedAt >= keep)
            {
                _finishedRuns.Dequeue();
                var run = oldest.Run;
                // Only the same execution, still final: a resumed or re-admitted run is live again.
                if (_runs.TryGetValue(run.RunId, out var held) && ReferenceEquals(held, run) && run.State.IsFinal())
                {
                    _runs.Remove(run.RunId);
                }
            }
        }
    }
}
