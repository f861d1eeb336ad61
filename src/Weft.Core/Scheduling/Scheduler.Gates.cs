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

    /// <summary>This process's resource capacities (null: no task declares resources).</summary>
    public ResourceGate? Resources { get; init; }

    /// <summary>Called (by a timer) when a rate gate has tokens again.</summary>
    public Action<RateGate>? OnRateDue { get; init; }

    // True when the task may start now (and then it holds its places); otherwise it has been parked
    // with its reason. Every gate is asked before any is taken, so a refusal wastes nothing.
    private bool PassGates(WorkItem item, DateTimeOffset now)
    {
        var run = item.Run;
        var plan = run.Plan;
        if (run.MaxParallel is { } max && run.RunningCount >= max)
        {
            (run.ParkedForParallel ??= new()).Enqueue(item.Task);
            Park(item, $"waiting: this run already has {max} tasks running (maxParallel)", now);
            return false;
        }

        var def = item.Run.DefIndex(item.Task);
        var pool = plan.PoolGates?[def];
        if (pool is not null && pool.IsFull)
        {
            pool.Waiting.Enqueue(item);
            Park(item, pool.WaitReason, now);
            return false;
        }

        var needs = plan.UsesResources ? plan.Tasks[def].Resources : null;
        if (needs is { Count: > 0 } && Resources is { } resources && !resources.Fits(needs))
        {
            resources.Waiting.Enqueue(item);
            Park(item, resources.WaitReason(needs), now);
            return false;
        }

        var breaker = plan.Breakers?[def];
        if (breaker is not null && !breaker.CanAdmit())
        {
            breaker.Waiting.Enqueue(item);
            Park(item, breaker.WaitReason, now);
            return false;
        }

        var rate = plan.RateGates?[def];
        if (rate is not null && !rate.CanTake(now))
        {
            rate.Waiting.Enqueue(item);
            Park(item, rate.WaitReason, now);
            ArmRateTimer(rate, now);
            return false;
        }

        if (pool is not null)
        {
            pool.InUse++;
        }

        if (needs is { Count: > 0 })
        {
            Resources?.Hold(needs);
        }

        breaker?.Admit();
        rate?.Take();
        return true;
    }

    /// <summary>Tokens are back: release as many waiting tasks as there are tokens.</summary>
    public void RateDue(RateGate rate)
    {
        rate.Timer?.Dispose();
        rate.Timer = null;
        var now = time.GetUtcNow();
        for (var n = rate.Available(now); n > 0 && rate.Waiting.Count > 0;)
        {
            var next = rate.Waiting.Dequeue();
            if (next.Run.Slots[next.Task].State == TaskState.Queued)
            {
                Requeue(next);
                n--;
            }
        }

        if (rate.Waiting.Count > 0)
        {
            // The tasks just released have not taken their tokens yet: look again one token later.
            ArmRateTimer(rate, now, rate.TokenPeriod);
        }
    }

    private void ArmRateTimer(RateGate rate, DateTimeOffset now, TimeSpan atLeast = default)
    {
        if (rate.Timer is not null)
        {
            return;
        }

        var due = rate.UntilNextToken(now);
        rate.Timer = LongTimers.Once(time, static s => ((RateTimerState)s!).Fire(), new RateTimerState(OnRateDue, rate), due > atLeast ? due : atLeast);
    }

    private sealed class RateTimerState(Action<RateGate>? callback, RateGate rate)
    {
        public void Fire() => callback?.Invoke(rate);
    }

    // After an attempt: free its pool place and its run's parallel place, tell its breaker.
    private void ReleaseGates(WorkItem item, in TaskOutcome outcome, DateTimeOffset now)
    {
        var run = item.Run;
        if (run.Plan.PoolGates?[run.DefIndex(item.Task)] is { } pool)
        {
            pool.InUse--;
            ReleaseOne(pool.Waiting);
        }

        if (run.Plan.UsesResources && run.TaskDef(item.Task).Resources is { Count: > 0 } held && Resources is { } resources)
        {
            resources.Release(held);

            // First in line goes first: release waiting tasks in order while they fit.
            while (resources.Waiting.TryPeek(out var head))
            {
                if (head.Run.Slots[head.Task].State != TaskState.Queued)
                {
                    resources.Waiting.Dequeue();
                    continue;
                }

                if (!resources.Fits(head.Run.TaskDef(head.Task).Resources))
                {
                    break;
                }

                Requeue(resources.Waiting.Dequeue());
            }
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

        if (run.Plan.Breakers?[run.DefIndex(item.Task)] is { } breaker && outcome.Status != TaskOutcomeStatus.Cancelled)
        {
            var counts = !outcome.IsSuccess && RetryClassifier.Matches(run.TaskDef(item.Task).Retry.RetryOn, outcome);
            if (breaker.Record(outcome.IsSuccess, counts, now))
            {
                breaker.CoolDownTimer?.Dispose();
                breaker.CoolDownTimer = LongTimers.Once(time, static s => ((BreakerTimerState)s!).Fire(), new BreakerTimerState(OnBreakerDue, breaker), breaker.OpenUntil - now);
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

    private void Requeue(WorkItem item) =>
        _ready.Enqueue(item, item.Run.PriorityOf(item.Task), item.Run.Plan.RemainingPath[item.Run.DefIndex(item.Task)], item.Run.DeadlineOf(item.Task), time.GetUtcNow());

    private sealed class BreakerTimerState(Action<CircuitBreaker>? callback, CircuitBreaker breaker)
    {
        public void Fire() => callback?.Invoke(breaker);
    }
}
