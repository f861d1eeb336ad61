using Microsoft.Extensions.Logging;
using Weft.Execution;

namespace Weft.Logging;

/// <summary>What the engine logs, source-generated (no formatting, boxing or allocation when the level is
/// off). Category <c>Weft</c>. Per task only at Debug: a busy engine runs thousands of tasks a second,
/// and their outcomes are in the store; Information and above are for what an operator acts on.</summary>
internal static partial class EngineLog
{
    public const string Category = "Weft";

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Task {TaskId} of run {RunId} attempt {Attempt} ({Kind}) ended {Outcome}")]
    public static partial void AttemptEnded(ILogger logger, string runId, string taskId, int attempt, string kind, TaskOutcomeStatus outcome);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Run {RunId} of {Workflow} submitted")]
    public static partial void RunSubmitted(ILogger logger, string runId, string workflow);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Weft alert: {Alert}")]
    public static partial void AlertRaised(ILogger logger, string alert);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Weft cluster: {Message}")]
    public static partial void Cluster(ILogger logger, string message);
}
