using Weft.Definitions;
using Weft.Scheduling;

namespace Weft.Limits;

/// <summary>A token bucket per rate limit key: up to <c>Count</c> tokens, refilled at
/// <c>Count</c> per <c>Per</c>; a task start takes one. Tasks that find it empty wait here and a
/// timer on the engine clock releases them as tokens come back.</summary>
internal sealed class RateGate(string key, RateLimit limit, DateTimeOffset now)
{
    private double _tokens = limit.Count;
    private DateTimeOffset _refilledAt = now;

    public string Key { get; } = key;

    public RateLimit Limit { get; } = limit;

    public Queue<WorkItem> Waiting { get; } = new();

    public ITimer? Timer { get; set; }

    /// <summary>The time one token takes to come back.</summary>
    public TimeSpan TokenPeriod => TimeSpan.FromTicks(Limit.Per.Ticks / Limit.Count);

    public string WaitReason => $"waiting for rate limit '{Key}' ({Limit})";

    public bool CanTake(DateTimeOffset now)
    {
        Refill(now);
        return _tokens >= 1;
    }

    /// <summary>Takes a token; call after <see cref="CanTake"/> said yes.</summary>
    public void Take() => _tokens -= 1;

    /// <summary>Whole tokens available now: how many waiting tasks are worth releasing.</summary>
    public int Available(DateTimeOffset now)
    {
        Refill(now);
        return (int)Math.Floor(_tokens);
    }

    /// <summary>How long until one token is back.</summary>
    public TimeSpan UntilNextToken(DateTimeOffset now)
    {
        Refill(now);
        if (_tokens >= 1)
        {
            return TimeSpan.Zero;
        }

        var perToken = Limit.Per.Ticks / (double)Limit.Count;
        return TimeSpan.FromTicks((long)Math.Ceiling((1 - _tokens) * perToken));
    }

    private void Refill(DateTimeOffset now)
    {
        if (now <= _refilledAt)
        {
            return;
        }

        _tokens = Math.Min(Limit.Count, _tokens + ((now - _refilledAt).Ticks * (double)Limit.Count / Limit.Per.Ticks));
        _refilledAt = now;
    }
}
