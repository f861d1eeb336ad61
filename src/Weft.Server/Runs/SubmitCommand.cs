using Weft.Definitions;

namespace Weft.Server.Runs;

/// <summary>A submission as the server takes it from the API.</summary>
internal sealed record SubmitCommand(WorkflowDefinition Definition)
{
    public IReadOnlyDictionary<string, string>? Params { get; init; }
    public TaskPriority? Priority { get; init; }

    /// <summary>Submissions with the same key within the dedup window start one run.</summary>
    public string? DedupKey { get; init; }

    /// <summary>A run id chosen by the submitter; null generates one.</summary>
    public string? RunId { get; init; }

    /// <summary>Who or what starts the run (recorded with it).</summary>
    public string? TriggeredBy { get; init; }

    /// <summary>The run is not started before this time.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>While memory is critical, wait for it to fall (schedule ticks) instead of failing with
    /// <see cref="WeftMemoryCriticalException"/> (API requests, which answer 503).</summary>
    public bool WaitIfMemoryCritical { get; init; } = true;
}

/// <summary>What a submission did: started (or will start, when delayed) <see cref="RunId"/>, or found
/// it already started under the same dedup key.</summary>
internal sealed record SubmitOutcome(string RunId, bool Deduplicated, DateTimeOffset? NotBefore);
