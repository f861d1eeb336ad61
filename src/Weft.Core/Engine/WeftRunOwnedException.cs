using Weft.Storage;

namespace Weft;

/// <summary>A run recorded in the store is being run by another live process (its owner renews a
/// lease on it): taking it up here would run its tasks a second time. Thrown by
/// <see cref="WeftEngine.ResumeAsync"/> and <see cref="WeftEngine.CancelStoredAsync"/>.</summary>
public sealed class WeftRunOwnedException(string runId, RunOwner owner)
    : Exception($"run '{runId}' is being run by {OwnerNames.Describe(owner.Name)} (owner '{owner.Name}', lease until " +
        $"{owner.LeaseUntil.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, renewed while it runs); control it through that process, " +
        "or resume it once that process has stopped")
{
    /// <summary>The run that could not be taken up.</summary>
    public string RunId { get; } = runId;

    /// <summary>The process that holds it, and until when its lease runs.</summary>
    public RunOwner Owner { get; } = owner;
}
