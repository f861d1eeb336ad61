using Weft.Execution;
using Weft.Limits;

namespace Weft.Scheduling;

/// <summary>Gates a ready task must pass before it takes a slot: the run's maxParallel, its pool,
/// its circuit breaker. A task stopped by a gate waits in that gate (still queued, with a reason)
/// and goes back to the ready queue when the gate opens, so it holds no slot while it waits.</summary>
internal sealed partial class Scheduler
{
    /// <summary>Called (by a timer) when an open breaker's cool-down is over.</summary>
    public Action<CircuitBreaker>? OnBreakerDue { get; init; }

    // True when the task may start now; otherwise it has been parked with its reason.
    private bool PassGates(WorkItem item, DateTimeOffset now)
    {
        var run = item.Run;
        if (run.MaxParallel is { } max && run.RunningCount >= max)
        {
            (run.ParkedForParallel ??= new()).Enqueue(item.Task);
            Park(item, $"waiting: this run already has {max} tasks running (maxParallel)", now);
            return false;
        }

        var pool = run.Plan.PoolGates?[item.Task];
        if (pool is not null && pool.IsFull)
        {
            pool.Waiting.Enqueue(item);
            Park(item, pool.WaitReason, now);
            return false;
        }

        var breaker = run.Plan.Breakers?[item.Task];
        if (breaker is not null && !breaker.TryAdmit())
        {
            breaker.Waiting.Enqueue(item);
            Park(item, breaker.WaitReason, now);
            return false;
        }

        if (pool is not null)
        {
            pool.InUse++;
        }

        return true;
    }

    // After an attempt: free its pool place and its run's parallel place, tell its breaker.
    private void ReleaseGates(WorkItem item, in TaskOutcome outcome, DateTimeOffset now)
    {
        var run = item.Run;
        if (run.Plan.PoolGates?[item.Task] is { } pool)
        {
            pool.InUse--;
            ReleaseOne(pool.Waiting);
        }

        if (run.ParkedForParallel is { Count: > 0 } parked)
        {
            while (parked.TryDequeue(out var task))
            {
                if (run.Slots[task].State == TaskState.Queued)
                {
                    Requeue(new WorkItem(run, task));
                    break;
                }
            }
        }

        if (run.Plan.Breakers?[item.Task] is { } breaker && outcome.Status != TaskOutcomeStatus.Cancelled)
        {
            var counts = !outcome.IsSuccess && RetryClassifier.Matches(run.Plan.Tasks[item.Task].Retry.RetryOn, outcome);
            if (breaker.Record(outcome.IsSuccess, counts, now))
            {
                breaker.CoolDownTimer?.Dispose();
                breaker.CoolDownTimer = time.CreateTimer(
                    static s => ((BreakerTimerState)s!).Fire(), new BreakerTimerState(OnBreakerDue, breaker), breaker.OpenUntil - now, Timeout.InfiniteTimeSpan);
            }
            else if (breaker.State == BreakerState.Closed)
            {
                ReleaseAll(breaker.Waiting);
            }
        }
    }

    /// <summary>The cool-down is over: the breaker goes half-open and its waiting tasks try again
    /// (the first few pass as trials, the rest wait again).</summary>
    public void BreakerDue(CircuitBreaker breaker)
    {
        breaker.CoolDownTimer?.Dispose();
        breaker.CoolDownTimer = null;
        breaker.HalfOpen();
        ReleaseAll(breaker.Waiting);
    }

    /// <summary>Closes a breaker by hand and lets its waiting tasks go.</summary>
    public void ResetBreaker(CircuitBreaker breaker)
    {
        breaker.Close();
        ReleaseAll(breaker.Waiting);
    }

    private void Park(WorkItem item, string reason, DateTimeOffset now)
    {
        ref var slot = ref item.Run.Slots[item.Task];
        if (slot.WaitReason == reason)
        {
            return;
        }

        slot.WaitReason = reason;
        Emit(item.Run, RunEventKind.TaskWaiting, item.Task, now, slot.Attempts, reason);
    }

    // Skips entries whose task was cancelled while it waited, so a freed place is never lost on one.
    private void ReleaseOne(Queue<WorkItem> waiting)
    {
        while (waiting.TryDequeue(out var next))
        {
            if (next.Run.Slots[next.Task].State == TaskState.Queued)
            {
                Requeue(next);
                return;
            }
        }
    }

    private void ReleaseAll(Queue<WorkItem> waiting)
    {
        while (waiting.TryDequeue(out var next))
        {
            if (next.Run.Slots[next.Task].State == TaskState.Queued)
            {
                Requeue(next);
            }
        }
    }

    private void Requeue(WorkItem item) => _ready.Enqueue(item, item.Run.PriorityOf(item.Task));

    private sealed class BreakerTimerState(Action<CircuitBreaker>? callback, CircuitBreaker breaker)
    {
        public void Fire() => callback?.Invoke(breaker);
    }
}
