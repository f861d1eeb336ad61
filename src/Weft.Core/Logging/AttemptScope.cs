using System.Collections;
using System.Globalization;
using Weft.Execution;

namespace Weft.Logging;

/// <summary>The logging scope of one attempt: whatever a handler or a DI-activated function logs while
/// it runs carries <c>WeftRunId</c>, <c>WeftTaskId</c>, <c>WeftAttempt</c> and <c>WeftWorkflow</c> (a list
/// of pairs, as <c>[LoggerMessage]</c> state is, so providers log them as fields).</summary>
internal sealed class AttemptScope(TaskInvocation invocation) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string RunId = "WeftRunId";
    public const string TaskId = "WeftTaskId";
    public const string Attempt = "WeftAttempt";
    public const string Workflow = "WeftWorkflow";

    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(RunId, invocation.RunId),
        1 => new(TaskId, invocation.TaskId),
        2 => new(Attempt, invocation.Attempt),
        3 => new(Workflow, invocation.WorkflowName),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"run {invocation.RunId} task {invocation.TaskId} attempt {invocation.Attempt}");
}
