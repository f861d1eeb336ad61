using Weft.Execution;
using Weft.Storage;

namespace Weft.Scheduling;

/// <summary>What changes when the scheduler leads a cluster: attempts run in other processes, so an
/// attempt can also end because its worker was lost, and a new leader adopts attempts that are still
/// out with workers instead of treating them as interrupted.</summary>
internal sealed partial class Scheduler
{
    /// <summary>Error text that marks an attempt whose worker process was lost; counted for quarantine.</summary>
    public const string WorkerLostPrefix = "worker lost";

    /// <summary>True when attempts run on cluster workers: cancelling a run then also flags its queue rows.</summary>
    public bool Distributed { get; set; }

    /// <summary>At most this many attempts out with workers (handed over, not yet reported; the engine sets it
    /// from <see cref="Cluster.ClusterSchedulingOptions.MaxOutstanding"/>). Like the journal's back pressure it
    /// holds <see cref="TryStartNext(out WorkItem, out int)"/> and <see cref="TakeStartable"/> back, so the coordinator wakes the
    /// dispatcher again once outcomes bring the count below it. Only with <see cref="Distributed"/>.</summary>
    public int OutstandingLimit { get; set; } = int.MaxValue;

    /// <summary>Under the gate: whether a distributed dispatcher must hand over nothing more until outcomes return.</summary>
    public bool AtOutstandingLimit => Distributed && Counters.Running >= OutstandingLimit;

    /// <summary>An attempt's worker stopped before reporting (it died, or stopped cleanly and handed the
    /// attempt back). The task runs again (at-least-once) without using up a retry, unless its attempts
    /// have now lost their worker <paramref name="quarantineAfter"/> times: then it fails as quarantined,
    /// so one task that crashes workers cannot take down every worker in turn.</summary>
    public void WorkerLost(WorkItem item, string error, bool crashed, int quarantineAfter)
    {
        var run = item.Run;
        ref var slot = ref run.Slots[item.Task];
        var now = time.GetUtcNow();
        run.RunningCount--;
        Counters.Running--;

        // Not a verdict on the task's target, so breakers don't count it.
        ReleaseGates(item, TaskOutcome.Cancelled(), now);
        slot.AttemptFinishedAt = now;
        slot.AttemptOutcome = TaskOutcomeStatus.Interrupted;
        slot.Error = error;
        JournalAttempt(run, item.Task);
        if (run.CancelRequested)
        {
            Finish(run, item.Task, TaskState.Cancelled, now);
            return;
        }

        var crashes = crashed ? LostCount(slot) + 1 : 0;
        if (crashed && crashes >= quarantineAfter)
        {
            slot.Error = $"quarantined: {crashes} attempts of this task lost their worker (the last: {error}); it is not run again, so it cannot crash more workers";
            Finish(run, item.Task, TaskState.Failed, now);
            return;
        }

        ScheduleRetry(run, item.Task, TimeSpan.Zero, now);
    }

    /// <summary>Keeps an attempt that a previous leader handed to a worker: the task stays running,
    /// holding its places in pools and resources, until the worker reports or is lost.</summary>
    private void Adopt(RunExecution run, int task)
    {
        run.RunningCount++;
        Counters.Running++;
        var item = new WorkItem(run, task);
        if (run.Plan.PoolGates?[run.DefIndex(task)] is { } pool)
        {
            pool.InUse++;
        }

        if (run.Plan.UsesResources && run.TaskDef(task).Resources is { Count: > 0 } needs)
        {
            Resources?.Hold(needs);
        }

        run.Plan.Breakers?[run.DefIndex(item.Task)]?.Admit();
    }

    private void JournalCancelQueued(RunExecution run)
    {
        if (Distributed)
        {
            Journal?.Add(new StoreChange { Kind = StoreChangeKind.CancelQueued, RunId = run.RunId });
        }
    }

    private static int LostCount(in TaskSlot slot)
    {
        var count = 0;
        if (slot.History is { } history)
        {
            foreach (var attempt in history)
            {
                if (attempt.Outcome == TaskOutcomeStatus.Interrupted && attempt.Error?.StartsWith(WorkerLostPrefix, StringComparison.Ordinal) == true)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
