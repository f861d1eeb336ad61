using Weft.Definitions;

namespace Weft.Storage;

/// <summary>A run as accepted at submit: what to run and with which parameters. Its tasks start
/// pending; their states reach the store as they change.</summary>
public sealed record RunRecord(string RunId, WorkflowDefinition Definition, IReadOnlyDictionary<string, string> Params, DateTimeOffset SubmittedAt)
{
    /// <summary>Priority override given at submit, if any.</summary>
    public TaskPriority? Priority { get; init; }
}
