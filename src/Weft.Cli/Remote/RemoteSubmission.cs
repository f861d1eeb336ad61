using Weft.Definitions;

namespace Weft.Cli.Remote;

/// <summary>The body of POST /api/runs: a definition's text (with its file name, for error positions)
/// or a registered workflow's name, and the submission's options.</summary>
internal sealed record RemoteSubmission(IReadOnlyDictionary<string, string> Parameters)
{
    public string? Definition { get; init; }

    public string? FileName { get; init; }

    public string? Workflow { get; init; }

    public TaskPriority? Priority { get; init; }

    public string? DedupKey { get; init; }

    public DateTimeOffset? NotBefore { get; init; }
}
