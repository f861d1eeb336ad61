using Weft.Services;

namespace Weft.Storage;

/// <summary>Renews the leases of every run this engine owns in a durable store, all at once by one
/// statement every <see cref="RenewEvery"/> (not per task: the hot path is untouched), and gives them
/// up at stop so the next process can take the runs up at once. A cluster does not use leases: its
/// leader is already the one scheduler.</summary>
internal sealed class LeaseRenewal(IWeftStore store, string owner, TimeProvider time, bool enabled) : TimerService(time)
{
    /// <summary>How long a run stays this engine's after its last renewal.</summary>
    public static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(30);

    /// <summary>A third of the lease: two renewals may fail (a busy store) before the lease ends.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    private volatile bool _released;

    public override string Name => "run lease renewal";

    /// <summary>Whether runs carry leases in this engine (a durable store, not a cluster).</summary>
    public bool IsEnabled => enabled;

    protected override TimeSpan Period => RenewEvery;

    protected override bool Enabled => enabled;

    /// <summary>A lease for a run recorded or taken up now; null when runs carry none.</summary>
    public RunOwner? NewLease() => enabled ? new RunOwner(owner, Time.GetUtcNow() + LeaseFor) : null;

    /// <summary>For tests: stop renewing without giving the runs up, as a hung process would.</summary>
    public Task StopRenewingAsync()
    {
        _released = true;
        return StopAsync();
    }

    protected override async Task Tick()
    {
        try
        {
            await store.RenewRunsAsync(owner, Time.GetUtcNow() + LeaseFor).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WeftStoreException or ObjectDisposedException or InvalidOperationException)
        {
            // The next tick tries again; the journal writer reports a failing store (StoreError).
        }
    }

    protected override async Task StoppedAsync()
    {
        if (!enabled || _released)
        {
            return;
        }

        _released = true;
        try
        {
            await store.ReleaseRunsAsync(owner).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WeftStoreException or ObjectDisposedException or InvalidOperationException)
        {
            // The leases then end on their own.
        }
    }
}
