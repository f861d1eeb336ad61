using Weft.Scheduling;

namespace Weft.Limits;

internal enum BreakerState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>One breaker key's state machine: closed → open (after N consecutive counted failures)
/// → half-open (after the cool-down: a few trial tasks) → closed (after M successes), or open again.
/// While open, its tasks wait here (queued, with a reason) instead of burning attempts. Mutated only
/// under the engine's lock; time comes from the scheduler's clock.</summary>
internal sealed class CircuitBreaker(string key, BreakerOptions options)
{
    private int _failures;
    private int _trialsAdmitted;
    private int _trialSuccesses;

    public string Key { get; } = key;

    public BreakerState State { get; private set; } = BreakerState.Closed;

    public DateTimeOffset OpenUntil { get; private set; }

    /// <summary>When the breaker last opened; null while closed.</summary>
    public DateTimeOffset? OpenedAt { get; private set; }

    /// <summary>Consecutive counted failures since the last success (what opens a closed breaker).</summary>
    public int Failures => _failures;

    public Queue<WorkItem> Waiting { get; } = new();

    public ITimer? CoolDownTimer { get; set; }

    public string StateName => State switch
    {
        BreakerState.Closed => "closed",
        BreakerState.Open => "open",
        _ => "half_open",
    };

    public string WaitReason => State == BreakerState.Open
        ? $"circuit breaker '{Key}' is open until {OpenUntil:HH:mm:ss}Z"
        : $"circuit breaker '{Key}' is half-open; waiting for its trial tasks";

    /// <summary>May a task start now? Half-open admits only the trial tasks.</summary>
    public bool CanAdmit() => State == BreakerState.Closed || (State == BreakerState.HalfOpen && _trialsAdmitted < options.HalfOpenTrials);

    /// <summary>Counts a started task; call after <see cref="CanAdmit"/> said yes.</summary>
    public void Admit()
    {
        if (State == BreakerState.HalfOpen)
        {
            _trialsAdmitted++;
        }
    }

    /// <summary>Records an attempt's result; true when the breaker just opened.</summary>
    public bool Record(bool success, bool counts, DateTimeOffset now)
    {
        if (success)
        {
            _failures = 0;
            if (State == BreakerState.HalfOpen && ++_trialSuccesses >= options.SuccessThreshold)
            {
                Close();
            }

            return false;
        }

        if (!counts)
        {
            return false;
        }

        if (State == BreakerState.HalfOpen || (State == BreakerState.Closed && ++_failures >= options.FailureThreshold))
        {
            State = BreakerState.Open;
            OpenedAt = now;
            OpenUntil = now + options.CoolDown;
            _failures = 0;
            return true;
        }

        return false;
    }

    /// <summary>The cool-down is over: let trial tasks through.</summary>
    public void HalfOpen()
    {
        if (State == BreakerState.Open)
        {
            State = BreakerState.HalfOpen;
            _trialsAdmitted = 0;
            _trialSuccesses = 0;
        }
    }

    /// <summary>Back to normal (enough trial successes, or a manual reset).</summary>
    public void Close()
    {
        State = BreakerState.Closed;
        OpenedAt = null;
        _failures = 0;
        _trialsAdmitted = 0;
        _trialSuccesses = 0;
        CoolDownTimer?.Dispose();
        CoolDownTimer = null;
    }
}
