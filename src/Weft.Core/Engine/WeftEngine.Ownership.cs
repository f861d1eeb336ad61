using Weft.Storage;

namespace Weft;

/// <summary>Run ownership: every run this engine records or takes up carries its <see cref="OwnerName"/>
/// and a lease, renewed for all its runs at once by one statement every <see cref="RenewEvery"/> (not
/// per task: the hot path is untouched). Another process on the same store takes a run up only once
/// that lease has ended or its owner is a process of this host that is gone, so two processes never
/// run the same tasks. A cluster does not use leases: its leader is already the one scheduler.</summary>
public sealed partial class WeftEngine
{
    /// <summary>How long a run stays this engine's after its last renewal.</summary>
    internal static TimeSpan LeaseFor => LeaseRenewal.LeaseFor;

    /// <summary>How often the leases are renewed.</summary>
    internal static TimeSpan RenewEvery => LeaseRenewal.RenewEvery;

    /// <summary>This engine's name as the owner of its runs in the store: <c>host/pid/random</c>.</summary>
    public string OwnerName { get; } = OwnerNames.Create();

    private RunOwner? NewLease() => _leases.NewLease();

    /// <summary>For tests: this engine stops renewing its leases without giving its runs up, as a hung
    /// process would.</summary>
    internal async ValueTask StopRenewingForTestAsync() => await _leases.StopRenewingAsync().ConfigureAwait(false);

    /// <summary>Makes this engine the owner of a stored run before it is restored here; throws
    /// <see cref="WeftRunOwnedException"/> while another live process holds it.</summary>
    private async ValueTask TakeUpAsync(string runId, CancellationToken cancellationToken)
    {
        if (!_leases.IsEnabled)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var owner = await _store.TakeRunAsync(runId, OwnerName, now, now + LeaseFor, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (owner is not null && owner.Name != OwnerName && OwnerNames.IsGoneFromThisHost(owner.Name))
        {
            // Killed without a chance to give its runs up (SIGKILL, a crash): no need to wait for its lease.
            owner = await _store.TakeRunAsync(runId, OwnerName, now, now + LeaseFor, owner.Name, cancellationToken).ConfigureAwait(false);
        }

        if (owner is not null && owner.Name != OwnerName)
        {
            throw new WeftRunOwnedException(runId, owner);
        }
    }

    /// <summary>Takes up every unfinished run of the store whose owner is gone (a server starting on
    /// the store of a crashed one); runs other live processes hold are left to them. A read-only
    /// server does not call this: it never runs anything.</summary>
    public async ValueTask<TakeUpResult> TakeUpOrphanedRunsAsync(CancellationToken cancellationToken = default)
    {
        var taken = new List<string>();
        var left = new Dictionary<string, RunOwner>(StringComparer.Ordinal);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var runId in await FindUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await ResumeAsync(runId, cancellationToken).ConfigureAwait(false);
                taken.Add(runId);
            }
            catch (WeftRunOwnedException ex)
            {
                left[runId] = ex.Owner;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing stored may keep a process from starting: a run that cannot be taken up is
                // reported (and, when its record is at fault, already marked failed); the rest go on.
                failed[runId] = ex.Message;
            }
        }

        return new TakeUpResult(taken, left, failed);
    }
}
