namespace Weft;

/// <summary>A run the store holds cannot be taken up (its record cannot be read, or holds a start time
/// this version refuses, e.g. one written by an older version). The engine has already recorded it as
/// failed with <see cref="Reason"/>, so it is not tried again at the next start.</summary>
public sealed class WeftStoredRunException(string runId, string reason, Exception? inner = null)
    : Exception($"run {runId} cannot be taken up: {reason}; it is marked failed", inner)
{
    public string RunId { get; } = runId;

    public string Reason { get; } = reason;
}
