using System.Text.RegularExpressions;

namespace Weft.Scheduling;

/// <summary>The error an <c>upstream_failed</c> task records: which of its parents did not succeed and
/// how ("upstream task 'build' failed"), so a user sees the cause without reading the DAG.</summary>
internal static partial class UpstreamFailure
{
    public static string Describe(RunExecution run, int task)
    {
        var failed = new List<(string Id, TaskState State)>();
        foreach (var parent in run.Plan.ParentsOf(task))
        {
            if (run.Slots[parent].State is TaskState.Failed or TaskState.TimedOut or TaskState.Cancelled or TaskState.UpstreamFailed)
            {
                failed.Add((run.Plan.TaskIds[parent], run.Slots[parent].State));
            }
        }

        return failed.Count switch
        {
            0 => "an upstream task did not succeed",
            1 => $"upstream task '{failed[0].Id}' {How(failed[0].State)}",
            _ => $"upstream tasks {string.Join(", ", failed.Select(f => $"'{f.Id}' ({f.State.ToName()})"))} did not succeed",
        };
    }

    /// <summary>The first parent an <see cref="Describe"/> error names; null for any other text.</summary>
    public static string? FirstParent(string? error) =>
        error is not null && Named().Match(error) is { Success: true } m ? m.Groups[1].Value : null;

    private static string How(TaskState state) => state switch
    {
        TaskState.Failed => "failed",
        TaskState.TimedOut => "timed out",
        TaskState.Cancelled => "was cancelled",
        _ => "did not run (its own upstream failed)",
    };

    [GeneratedRegex("^upstream tasks? '([^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex Named();
}
