namespace Weft.Scheduling;

/// <summary>What a late watcher missed, rebuilt from the run's state (events are only materialized
/// while someone watches, so the hot path pays nothing for them).</summary>
internal static class EventReplay
{
    public static IEnumerable<RunEvent> Of(RunExecution run)
    {
        if (run.StartedAt is not { } started)
        {
            yield break;
        }

        yield return new RunEvent(RunEventKind.RunStarted, run.RunId, started);
        for (var t = 0; t < run.Slots.Length; t++)
        {
            var slot = run.Slots[t];
            var id = run.TaskId(t);
            if (slot.State == TaskState.Queued)
            {
                yield return new RunEvent(RunEventKind.TaskQueued, run.RunId, started) { TaskId = id, Attempt = slot.Attempts };
                if (slot.WaitReason is { } reason)
                {
                    yield return new RunEvent(RunEventKind.TaskWaiting, run.RunId, started) { TaskId = id, Attempt = slot.Attempts, Error = reason };
                }

                continue;
            }

            if (slot.Attempts > 0)
            {
                yield return new RunEvent(RunEventKind.TaskStarted, run.RunId, slot.AttemptStartedAt) { TaskId = id, Attempt = slot.Attempts };
            }

            if (slot.State == TaskState.Waiting)
            {
                yield return new RunEvent(RunEventKind.TaskWaiting, run.RunId, slot.AttemptStartedAt) { TaskId = id, Attempt = slot.Attempts, Error = slot.WaitReason };
                continue;
            }

            var final = slot.State switch
            {
                TaskState.Succeeded or TaskState.Cached => RunEventKind.TaskSucceeded,
                TaskState.Failed => RunEventKind.TaskFailed,
                TaskState.TimedOut => RunEventKind.TaskTimedOut,
                TaskState.Cancelled => RunEventKind.TaskCancelled,
                TaskState.Skipped => RunEventKind.TaskSkipped,
                TaskState.UpstreamFailed => RunEventKind.TaskUpstreamFailed,
                TaskState.Retrying => RunEventKind.TaskRetrying,
                _ => (RunEventKind?)null,
            };
            if (final is { } kind)
            {
                yield return new RunEvent(kind, run.RunId, slot.State == TaskState.Retrying ? slot.AttemptFinishedAt : slot.FinishedAt)
                {
                    TaskId = id,
                    Attempt = slot.Attempts,
                    Error = slot.Error,
                    RetryDelay = slot.State == TaskState.Retrying ? slot.RetryDelay : null,
                };
            }
        }

        if (run.Reported && run.FinishedAt is { } finished)
        {
            yield return new RunEvent(RunEventKind.RunFinished, run.RunId, finished) { RunState = run.State };
        }
    }
}
