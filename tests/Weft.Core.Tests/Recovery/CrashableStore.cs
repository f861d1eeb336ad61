using Weft.Storage;
using Weft.Tests.Doubles;

namespace Weft.Tests.Recovery;

/// <summary>A durable-looking store over a shared <see cref="MemoryStore"/> that can "crash": after
/// <see cref="Crash"/>, writes are dropped, as if the process had died. Raises a signal when a batch
/// matching a condition has been committed, so tests wait on the store, never on time.</summary>
internal sealed class CrashableStore(MemoryStore inner) : ForwardingStore(inner)
{
    private readonly List<(Func<StoreChange, bool> Match, TaskCompletionSource Signal)> _waits = [];
    private readonly HashSet<string> _owners = [];
    private volatile bool _crashed;

    public int Writes { get; private set; }

    /// <summary>The process "dies": its writes are dropped from now on. A dead process stops renewing
    /// the lease of its runs, which would end some seconds later; the crash ends it at once, so the
    /// engine that takes the runs up does not wait for the clock.</summary>
    public void Crash()
    {
        _crashed = true;
        string[] owners;
        lock (_owners)
        {
            owners = [.. _owners];
        }

        foreach (var owner in owners)
        {
            Inner.ReleaseRunsAsync(owner).AsTask().GetAwaiter().GetResult();
        }
    }

    public Task WhenCommitted(Func<StoreChange, bool> match)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            _waits.Add((match, tcs));
        }

        return tcs.Task;
    }

    public override ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        if (_crashed)
        {
            return ValueTask.CompletedTask;
        }

        Remember(run.Owner?.Name);
        return Inner.CreateRunAsync(run, cancellationToken);
    }

    public override ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default)
    {
        Remember(owner);
        return Inner.TakeRunAsync(runId, owner, now, leaseUntil, replacing, cancellationToken);
    }

    public override ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.FromResult(0) : Inner.RenewRunsAsync(owner, leaseUntil, cancellationToken);

    public override ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.CompletedTask : Inner.ReleaseRunsAsync(owner, cancellationToken);

    private void Remember(string? owner)
    {
        if (owner is not null)
        {
            lock (_owners)
            {
                _owners.Add(owner);
            }
        }
    }

    public override async ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        if (_crashed)
        {
            return;
        }

        await Inner.WriteAsync(changes, cancellationToken);
        Writes++;
        lock (_waits)
        {
            foreach (var (match, signal) in _waits.Where(w => changes.Any(w.Match)).ToList())
            {
                signal.TrySetResult();
            }
        }
    }

    public override ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.CompletedTask : Inner.PutCacheAsync(entry, cancellationToken);

    public override ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.FromResult(0) : Inner.PurgeCacheAsync(expiredBefore, cancellationToken);
}
