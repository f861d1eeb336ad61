namespace Weft.Storage;

public sealed partial class MemoryStore
{
    /// <inheritdoc />
    public ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(runId, out var run))
            {
                return new((RunOwner?)null);
            }

            if (run.Owner is not { } held || held.Name == owner || held.LeaseUntil <= now || held.Name == replacing)
            {
                run.Owner = new RunOwner(owner, leaseUntil);
            }

            return new(run.Owner);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var renewed = 0;
            foreach (var run in _runs.Values)
            {
                if (run.Owner?.Name == owner)
                {
                    run.Owner = new RunOwner(owner, leaseUntil);
                    renewed++;
                }
            }

            return new(renewed);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var run in _runs.Values.Where(r => r.Owner?.Name == owner))
            {
                run.Owner = null;
            }
        }

        return ValueTask.CompletedTask;
    }
}
