using System.Globalization;
using Weft.Definitions;
using Weft.Definitions.Validation;
using Weft.Execution;
using Weft.Storage;
using Weft.Templates;
using Weft.Waiting;

namespace Weft.Scheduling;

/// <summary><c>wait:</c> tasks. When its parents let a wait task run it goes straight to
/// <see cref="TaskState.Waiting"/> without entering the ready queue: it takes no slot, no pool place,
/// no resources and no <c>maxParallel</c> room. It ends when its signal comes (<see cref="Signal"/>),
/// its time comes or its timeout passes (a timer, <see cref="WaitDue"/>), or a sensor's poll finds its
/// condition true (<see cref="SensorPolled"/>; the poll's I/O runs outside the lock, see
/// <see cref="OnPollDue"/>). A wait restored from the store keeps its attempt and start time, so its
/// timeout counts from when it first began waiting.</summary>
internal sealed partial class Scheduler
{
    /// <summary>A wait's due timer fired (outside the lock): the engine calls <see cref="WaitDue"/> under it.</summary>
    public Action<RunExecution, int, ActiveWait>? OnWaitDue { get; set; }

    /// <summary>A sensor's poll is due: the engine sends it outside the lock and reports it back with
    /// <see cref="SensorPolled"/>. May be called under the lock: it must only start the poll.</summary>
    public Action<RunExecution, int, ActiveWait>? OnPollDue { get; set; }

    /// <summary>Tasks waiting now, across runs (signals are only polled for while some wait).</summary>
    public int WaitingCount { get; private set; }

    private void StartWait(RunExecution run, int task, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[task];
        var spec = (WaitSpec)run.TaskDef(task).Spec;
        TaskTransitions.Move(ref slot, TaskState.Queued);
        TaskTransitions.Move(ref slot, TaskState.Waiting);
        BeginHeldAttempt(ref slot, now); // a restored wait's timeout counts from its first start

        DateTimeOffset? until = null;
        if (spec.Http is null && spec.Until is { } untilText)
        {
            until = UntilTime(run, task, untilText, out var problem);
            if (until is null)
            {
                JournalTask(run, task);
                SettleWait(run, task, TaskState.Failed, output: null, problem, now);
                return;
            }
        }

        // Only the wait's own timeout: a task-level or engine default timeout is for attempts on a slot.
        var timeout = spec.Timeout;
        var wait = new ActiveWait(spec)
        {
            TimeoutAt = timeout is { } t ? slot.AttemptStartedAt + t : null,
            UntilAt = until,
        };
        (run.Waits ??= [])[task] = wait;
        WaitingCount++;
        slot.WaitReason = Reason(wait);
        JournalAttempt(run, task);
        JournalTask(run, task);
        Emit(run, RunEventKind.TaskStarted, task, now, slot.Attempts);
        Emit(run, RunEventKind.TaskWaiting, task, now, slot.Attempts, slot.WaitReason);
        if (EndIfDue(run, task, wait, now))
        {
            return; // its time had come already (a restore after the timeout, or an until in the past)
        }

        if (spec.Http is not null)
        {
            OnPollDue?.Invoke(run, task, wait);
        }
    }

    /// <summary>A wait's due timer fired (under the lock).</summary>
    public void WaitDue(RunExecution run, int task, ActiveWait wait) => EndIfDue(run, task, wait, time.GetUtcNow());

    /// <summary>Ends the wait if its time or timeout has come, else (re)arms its due timer; true when it ended.</summary>
    private bool EndIfDue(RunExecution run, int task, ActiveWait wait, DateTimeOffset now)
    {
        if (!IsCurrent(run, task, wait))
        {
            return true;
        }

        if (wait.UntilAt is { } until && now >= until && !(wait.TimeoutAt < until))
        {
            SettleWait(run, task, TaskState.Succeeded, output: string.Empty, error: null, now);
            return true;
        }

        if (wait.TimeoutAt is { } timeoutAt && now >= timeoutAt)
        {
            TimeOut(run, task, wait, now);
            return true;
        }

        var due = Earliest(wait.UntilAt, wait.TimeoutAt);
        if (due is { } at)
        {
            wait.DueTimer?.Dispose();
            wait.DueTimer = LongTimers.Once(time, static state => ((WaitTimerState)state!).Fire(), new WaitTimerState(this, run, task, wait, poll: false), at - now);
        }

        return false;
    }

    /// <summary>A sensor's poll came back (under the lock): the wait succeeds with the response body when
    /// the condition held; otherwise the next poll is armed (the due timer ends it at its timeout).</summary>
    public void SensorPolled(RunExecution run, int task, ActiveWait wait, SensorPoll poll)
    {
        if (!IsCurrent(run, task, wait))
        {
            return;
        }

        var now = time.GetUtcNow();
        ref var slot = ref run.Slots[task];
        slot.HttpStatus = poll.Status;
        wait.Polls++;
        if (poll.Matched)
        {
            SettleWait(run, task, TaskState.Succeeded, poll.Body ?? string.Empty, error: null, now);
            return;
        }

        var last = poll.Error ?? (poll.Status is { } status ? $"status {status.ToString(CultureInfo.InvariantCulture)}, condition not met" : "condition not met");
        slot.WaitReason = $"{Reason(wait)}; poll {wait.Polls.ToString(CultureInfo.InvariantCulture)}: {last}";
        if (wait.TimeoutAt is { } timeoutAt && now >= timeoutAt)
        {
            TimeOut(run, task, wait, now);
            return;
        }

        wait.PollTimer?.Dispose();
        wait.PollTimer = LongTimers.Once(time, static state => ((WaitTimerState)state!).Fire(), new WaitTimerState(this, run, task, wait, poll: true), wait.Spec.Every);
    }

    /// <summary>Applies a signal (under the lock): a waiting task succeeds with the signal's data, or fails
    /// when it rejects. Returns null when applied, else why not (the task's state). A recorded signal
    /// (<see cref="TaskSignal.Id"/> &gt; 0) is marked taken in the same journal batch as its effect.</summary>
    public string? Signal(RunExecution run, int task, TaskSignal signal)
    {
        ref var slot = ref run.Slots[task];
        if (signal.Id > 0)
        {
            Journal?.Add(new StoreChange { Kind = StoreChangeKind.SignalTaken, RunId = run.RunId, TaskId = signal.TaskId, QueueId = signal.Id, FinishedAt = time.GetUtcNow() });
        }

        if (slot.State != TaskState.Waiting || run.Waits?.ContainsKey(task) != true)
        {
            return $"task '{run.TaskId(task)}' of run '{run.RunId}' is {slot.State.ToName()}, not waiting";
        }

        var now = time.GetUtcNow();
        slot.Worker = $"signal from {signal.Origin}";
        var at = signal.SentAt == default ? now : signal.SentAt;
        if (signal.Reject)
        {
            SettleWait(run, task, TaskState.Failed, signal.Data,
                $"rejected by {signal.Origin} at {WaitReasons.Time(at)}", now);
        }
        else
        {
            SettleWait(run, task, TaskState.Succeeded, signal.Data ?? string.Empty, error: null, now);
        }

        return null;
    }

    /// <summary>Applies a run-level command recorded in the store (under the lock): pause or resume the
    /// run, marking the command taken in the same batch. False when the run's state does not allow it.</summary>
    public bool Control(RunExecution run, TaskSignal command)
    {
        Journal?.Add(new StoreChange { Kind = StoreChangeKind.SignalTaken, RunId = run.RunId, TaskId = command.TaskId, QueueId = command.Id, FinishedAt = time.GetUtcNow() });
        return command.Control == RunControl.Pause ? Pause(run) : Unpause(run);
    }

    /// <summary>Ends a wait (cancel, stop): its timers stop; the task's state is the caller's to set.</summary>
    private void DropWait(RunExecution run, int task)
    {
        if (run.Waits is { } waits && waits.Remove(task, out var wait))
        {
            wait.Dispose();
            WaitingCount--;
        }
    }

    /// <summary>Stops every wait's timers (the engine is stopping; the store keeps the waits for a resume).</summary>
    public static void StopWaits(RunExecution run)
    {
        if (run.Waits is { } waits)
        {
            foreach (var wait in waits.Values)
            {
                wait.Dispose();
            }
        }
    }

    private void TimeOut(RunExecution run, int task, ActiveWait wait, DateTimeOffset now)
    {
        if (wait.Spec.OnTimeout == WaitTimeoutOutcome.Succeed)
        {
            SettleWait(run, task, TaskState.Succeeded, output: string.Empty, error: null, now);
            return;
        }

        var waited = Durations.Format(now - run.Slots[task].AttemptStartedAt);
        SettleWait(run, task, TaskState.TimedOut, output: null, $"timed out after {waited} waiting for {wait.Spec.Describe()}", now);
    }

    private void SettleWait(RunExecution run, int task, TaskState final, string? output, string? error, DateTimeOffset now)
    {
        DropWait(run, task);
        run.Slots[task].WaitReason = null;
        SettleHeldAttempt(run, task, final, output, error, now);
    }

    private static bool IsCurrent(RunExecution run, int task, ActiveWait wait) =>
        run.Waits is { } waits && waits.TryGetValue(task, out var current) && ReferenceEquals(current, wait)
        && run.Slots[task].State == TaskState.Waiting;

    private static DateTimeOffset? UntilTime(RunExecution run, int task, string text, out string? problem)
    {
        string rendered;
        try
        {
            rendered = Template.MayContainReferences(text) ? Template.Parse(text).Render(run.ValuesFor(task).Resolve) : text;
        }
        catch (TemplateResolutionException ex)
        {
            problem = $"wait until '{text}': {ex.Message}";
            return null;
        }

        if (WaitTimes.Parse(rendered) is { } at)
        {
            problem = null;
            return at;
        }

        problem = $"wait until '{text}': '{rendered}' is not a point in time (ISO 8601, e.g. 2026-12-03T22:00:00Z)";
        return null;
    }

    private static string Reason(ActiveWait wait) => WaitReasons.Of(wait.Spec, wait.TimeoutAt);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private sealed class WaitTimerState(Scheduler scheduler, RunExecution run, int task, ActiveWait wait, bool poll)
    {
        public void Fire()
        {
            if (poll)
            {
                scheduler.OnPollDue?.Invoke(run, task, wait);
            }
            else
            {
                scheduler.OnWaitDue?.Invoke(run, task, wait);
            }
        }
    }
}
