namespace Weft;

/// <summary>A submission named a run id that already exists (in this engine or in its store):
/// another submitter — another server sharing the store — started that run first.</summary>
public sealed class WeftDuplicateRunException(string runId, Exception? inner = null)
    : Exception($"a run with id '{runId}' already exists", inner)
{
    /// <summary>The id that is already taken.</summary>
    public string RunId { get; } = runId;
}
