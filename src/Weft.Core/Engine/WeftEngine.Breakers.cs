using Weft.Coordination;
using Weft.Limits;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Circuit breakers by key with their state: closed, open or half_open.</summary>
    public IReadOnlyDictionary<string, string> GetBreakers()
    {
        lock (_coord.Gate)
        {
            return _coord.Gates.Breakers.ToDictionary(b => b.Key, b => b.StateName);
        }
    }

    /// <summary>Every circuit breaker a submitted workflow has used, by key, with its state, failure
    /// count, when it opened and how many tasks wait on it.</summary>
    public IReadOnlyList<BreakerStatus> ListBreakers()
    {
        lock (_coord.Gate)
        {
            return [.. _coord.Gates.Breakers.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => new BreakerStatus(b.Key, b.StateName)
            {
                Failures = b.Failures,
                OpenedAt = b.OpenedAt,
                OpenUntil = b.State == BreakerState.Open ? b.OpenUntil : null,
                Waiting = b.Waiting.Count,
            })];
        }
    }

    /// <summary>Closes a breaker by hand; its waiting tasks go on. False when no breaker has that key.</summary>
    public bool ResetBreaker(string key)
    {
        FollowUp follow;
        lock (_coord.Gate)
        {
            if (_coord.Gates.FindBreaker(key) is not { } breaker)
            {
                return false;
            }

            _coord.Scheduler.ResetBreaker(breaker);
            follow = _coord.TakeFollowUp();
        }

        _coord.Apply(follow);
        return true;
    }
}
