namespace Weft.Cluster;

/// <summary>How one loop of a worker rides out a store outage (a database restarting): it logs the
/// first failure and the recovery, not every retry, and backs off from 50 ms doubling to 5 s.</summary>
internal sealed class StoreRetry(string what, TimeProvider time, Action<string>? log)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private TimeSpan _next = First;
    private int _failures;

    /// <summary>Records a failure and waits out the back-off (throws only when <paramref name="cancellationToken"/> fires).</summary>
    public Task FailedAsync(Exception error, CancellationToken cancellationToken)
    {
        if (_failures++ == 0)
        {
            log?.Invoke($"{what}: store unavailable ({error.GetType().Name}: {error.Message}); retrying");
        }

        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Max.Ticks));
        return Task.Delay(delay, time, cancellationToken);
    }

    public void Succeeded()
    {
        if (_failures > 0)
        {
            log?.Invoke($"{what}: store available again after {_failures} failed attempt{(_failures == 1 ? "" : "s")}");
        }

        _failures = 0;
        _next = First;
    }
}
