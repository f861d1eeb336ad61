namespace Weft;

/// <summary>A run the store holds cannot be taken up (its record cannot be read, or holds a start time
/// this version refuses, e.g. one written by an older version). The engine has already recorded it as
/// failed with <see cref="Reason"/>, so it is not tried again at the next start.</summary>
public sealed class WeftStoredRunException(string runId, string reason, Exception? inner = null)
    : Exception($"run {runId} cannot be taken up: {reason}; it is marked failed", inner)
{
    /// <summary>The run that could not be taken up.</summary>
    public string RunId { get; } = runId;

    /// <summary>Why, as recorded with the failed run.</summary>
    public string Reason { get; } = reason;
}
