using Weft.Definitions;
using Weft.Execution;

namespace Weft.Scheduling;

/// <summary>The one place where run and task state changes. It reacts to events (run submitted,
/// attempt finished, back-off over, cancel) and does no I/O: time comes from the
/// <see cref="TimeProvider"/>, and runs that finish are handed back to the caller to announce.
/// Not thread-safe by design: the engine calls it under a single lock (one logical writer).</summary>
internal sealed partial class Scheduler(TimeProvider time, Random random, Action<RunExecution, int> onRetryDue)
{
    private readonly ReadyQueue _ready = new();
    private readonly List<RunExecution> _finished = [];
    private readonly Stack<int> _propagation = new();

    public int ReadyCount => _ready.Count;

    public Monitoring.EngineCounters Counters { get; } = new();

    public bool HasFinished => _finished.Count > 0;

    public ReadyQueue Ready => _ready;

    /// <summary>Starts a run: every task without parents is queued.</summary>
    public void Start(RunExecution run)
    {
        var now = time.GetUtcNow();
        run.State = RunState.Running;
        run.StartedAt = now;
        JournalRun(run);
        Emit(run, RunEventKind.RunStarted, -1, now);
        if (run.Plan.Roots.Length > 64)
        {
            _ready.Reserve(run.PriorityOverride ?? TaskPriority.Normal, run.Plan.Roots.Length);
        }

        foreach (var root in run.Plan.Roots)
        {
            Decide(run, root, now);
        }

        if (run.Plan.Count == 0)
        {
            FinishRun(run, now);
        }
    }

    /// <summary>Takes the most urgent ready task and marks it running; false when none is ready, when
    /// the journal's backlog is full (<see cref="JournalFull"/>: the writer wakes the dispatchers once it
    /// takes the backlog into a commit), or when a distributed dispatcher has <see cref="OutstandingLimit"/>
    /// attempts out (an outcome's follow-up wakes it).</summary>
    public bool TryStartNext(out WorkItem item, out int attempt) => TryStartNext(time.GetUtcNow(), out item, out attempt);

    /// <summary>As <see cref="TryStartNext(out WorkItem, out int)"/>, at <paramref name="now"/>: the clock read
    /// once for a dispatcher's whole locked step (the clock costs more per task than starting a no-op does).</summary>
    public bool TryStartNext(DateTimeOffset now, out WorkItem item, out int attempt)
    {
        if (JournalFull)
        {
            JournalThrottled = true;
            item = default;
            attempt = 0;
            return false;
        }

        if (AtOutstandingLimit)
        {
            item = default;
            attempt = 0;
            return false;
        }

        while (_ready.TryDequeue(now, out item))
        {
            ref var slot = ref item.Run.Slots[item.Task];
            if (slot.State != TaskState.Queued)
            {
                continue; // cancelled while queued
            }

            if (item.Run.State == RunState.Paused)
            {
                (item.Run.Held ??= []).Add(item.Task);
                continue;
            }

            if (!PassGates(item, now))
            {
                continue;
            }

            slot.WaitReason = null;
            Counters.QueueWait.Record(now.UtcTicks - slot.QueuedAtTicks);
            Counters.Instruments?.Started(item.Run, item.Task, now.UtcTicks - slot.QueuedAtTicks);
            TaskTransitions.Move(ref slot, TaskState.Running);
            attempt = slot.BeginAttempt(now);
            item.Run.RunningCount++;
            Counters.Running++;
            JournalAttempt(item.Run, item.Task);
            JournalTask(item.Run, item.Task);
            Emit(item.Run, RunEventKind.TaskStarted, item.Task, now, attempt);
            return true;
        }

        attempt = 0;
        return false;
    }

    /// <summary>Records an attempt's outcome and moves the task on: final, or waiting to retry.</summary>
    public void Complete(WorkItem item, in TaskOutcome outcome) => Complete(item, outcome, time.GetUtcNow());

    /// <summary>As <see cref="Complete(WorkItem, in TaskOutcome)"/>, at <paramref name="now"/>: the clock read
    /// once for a dispatcher's locked step (outcomes are reported in batches, so the time taken was the
    /// report's already).</summary>
    public void Complete(WorkItem item, in TaskOutcome outcome, DateTimeOffset now)
    {
        var run = item.Run;
        ref var slot = ref run.Slots[item.Task];
        run.RunningCount--;
        Counters.Running--;
        Counters.Throughput.Record(now);
        ReleaseGates(item, outcome, now);
        Counters.RunTime.Record(now.UtcTicks - slot.AttemptStartedAt.UtcTicks);
        Counters.Instruments?.AttemptFinished(run, item.Task, outcome.Status, now.UtcTicks - slot.AttemptStartedAt.UtcTicks);
        slot.AttemptFinishedAt = now;
        slot.AttemptOutcome = outcome.Status;
        slot.Output = outcome.Output;
        slot.OutputTruncated = outcome.OutputTruncated;
        slot.Error = outcome.Error;
        slot.ExitCode = outcome.ExitCode;
        slot.HttpStatus = outcome.HttpStatus;
        slot.Stderr = outcome.Stderr;

        if (run.CancelRequested)
        {
            slot.AttemptOutcome = outcome.IsSuccess ? TaskOutcomeStatus.Succeeded : TaskOutcomeStatus.Cancelled;
            slot.Error = outcome.IsSuccess ? null : outcome.Error ?? "cancelled";
            JournalAttempt(run, item.Task);
            Finish(run, item.Task, outcome.IsSuccess ? TaskState.Succeeded : TaskState.Cancelled, now);
            return;
        }

        JournalAttempt(run, item.Task);
        if (outcome.IsSuccess)
        {
            if (!outcome.FromCache)
            {
                run.Plan.Durations?.Record(run.DefIndex(item.Task), now - slot.AttemptStartedAt);
            }

            Finish(run, item.Task, outcome.FromCache ? TaskState.Cached : TaskState.Succeeded, now);
            return;
        }

        var policy = run.TaskDef(item.Task).Retry;
        if (RetryClassifier.ShouldRetry(policy, slot.Attempts, outcome))
        {
            ScheduleRetry(run, item.Task, policy.DelayBefore(slot.Attempts, random.NextDouble()), now);
            return;
        }

        Finish(run, item.Task, outcome.Status == TaskOutcomeStatus.TimedOut ? TaskState.TimedOut : TaskState.Failed, now);
    }

    /// <summary>A retry's back-off is over: queue the task again.</summary>
    public void RetryDue(RunExecution run, int task)
    {
        ref var slot = ref run.Slots[task];
        if (slot.State != TaskState.Retrying)
        {
            return; // cancelled meanwhile
        }

        slot.RetryTimer?.Dispose();
        slot.RetryTimer = null;
        Queue(run, task, time.GetUtcNow());
    }

    /// <summary>Cancels a run: waiting tasks become cancelled now; running ones when their attempt
    /// returns. The caller then fires <see cref="RunExecution.Cancellation"/> outside the lock.</summary>
    public bool Cancel(RunExecution run)
    {
        if (run.State.IsFinal() || run.CancelRequested)
        {
            return false;
        }

        run.CancelRequested = true;
        JournalCancelQueued(run);
        var now = time.GetUtcNow();
        for (var t = 0; t < run.Slots.Length; t++)
        {
            ref var slot = ref run.Slots[t];
            if (slot.State is TaskState.Pending or TaskState.Queued or TaskState.Retrying or TaskState.Waiting)
            {
                if (slot.State == TaskState.Waiting)
                {
                    DropWait(run, t);
                    var child = DropChild(run, t);
                    slot.AttemptOutcome = TaskOutcomeStatus.Cancelled;
                    slot.AttemptFinishedAt = now;
                    slot.WaitReason = null;
                    slot.Error = child is null ? "cancelled while waiting" : $"cancelled with its run; child run {child} is cancelled too";
                    JournalAttempt(run, t);
                }

                slot.RetryTimer?.Dispose();
                slot.RetryTimer = null;
                slot.Error ??= "cancelled before it ran";
                TaskTransitions.Move(ref slot, TaskState.Cancelled);
                slot.FinishedAt = now;
                run.FinalCount++;
                Counters.Outstanding--;
                run.UnsuccessfulCount++;
                JournalTask(run, t);
                Emit(run, RunEventKind.TaskCancelled, t, now, slot.Attempts);
            }
        }

        SettleCancelledMaps(run, now);

        if (run.FinalCount == run.Slots.Length)
        {
            FinishRun(run, now);
        }

        return true;
    }

    /// <summary>Runs that ended since the last call, for the caller to announce outside the lock.</summary>
    public void DrainFinished(List<RunExecution> into)
    {
        into.AddRange(_finished);
        _finished.Clear();
    }

    private void ScheduleRetry(RunExecution run, int task, TimeSpan delay, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[task];
        TaskTransitions.Move(ref slot, TaskState.Retrying);
        (slot.History ??= []).Add(slot.CurrentAttempt(slot.Attempts));
        slot.RetryDelay = delay;
        JournalTask(run, task, now + delay);
        if (run.Watchers is not null)
        {
            run.Emit(new RunEvent(RunEventKind.TaskRetrying, run.RunId, now)
            {
                TaskId = run.TaskId(task),
                Attempt = slot.Attempts,
                Error = slot.Error,
                RetryDelay = delay,
            });
        }

        if (delay <= TimeSpan.Zero)
        {
            Queue(run, task, now);
            return;
        }

        slot.RetryTimer = LongTimers.Once(time, static state => ((RetryTimerState)state!).Fire(), new RetryTimerState(onRetryDue, run, task), delay);
    }

    private sealed class RetryTimerState(Action<RunExecution, int> callback, RunExecution run, int task)
    {
        public void Fire() => callback(run, task);
    }
}
