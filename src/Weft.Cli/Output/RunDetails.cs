using System.Globalization;
using Spectre.Console;
using Weft.Execution;

namespace Weft.Cli.Output;

/// <summary>What <c>weft runs show</c> prints: the run's times and parameters, the task table of
/// <see cref="SummaryTable"/>, every attempt of the tasks that had more than one, the full errors,
/// and the headline.</summary>
internal static class RunDetails
{
    public static void Write(IAnsiConsole console, RunSnapshot run, TimeZoneInfo zone, IReadOnlyList<Storage.RunSummary>? children = null)
    {
        // Every line quotes recorded text (names, parameters, errors): cleaned for the terminal.
        void Line(string text) => console.WriteLine(TerminalText.Clean(text));

        Line($"run       {run.RunId}");
        Line($"workflow  {run.Workflow}");
        Line($"submitted {RunListTable.Time(run.SubmittedAt, zone)}");
        Line($"started   {RunListTable.Time(run.StartedAt, zone)}");
        Line($"finished  {RunListTable.Time(run.FinishedAt, zone)}");
        if (run.ParentRunId is { } parent)
        {
            Line($"parent    {parent} (task {run.ParentTaskId})");
        }
        foreach (var (name, value) in run.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line($"param     {name}={value}");
        }

        console.Write(SummaryTable.Build(run));
        foreach (var task in run.Tasks.Where(t => t.State == TaskState.Waiting && t.WaitReason is not null))
        {
            Line($"{task.TaskId}: {task.WaitReason}");
        }

        // The child runs of workflow tasks, oldest first (a retried task has one per attempt).
        foreach (var child in (children ?? []).OrderBy(c => c.SubmittedAt).ThenBy(c => c.RunId, StringComparer.Ordinal))
        {
            Line($"{child.ParentTaskId}: child run {child.RunId}  {child.Workflow}  {child.State.ToName()}");
        }

        // A wait ended by a signal: who sent it and when ("on signal from cli ada@host").
        foreach (var task in run.Tasks.Where(t => t.AttemptHistory.Count > 1 || (t.Kind == "wait" && t.AttemptHistory.Any(a => a.Worker is not null))))
        {
            Line($"{task.TaskId}: {task.AttemptHistory.Count} attempts");
            foreach (var attempt in task.AttemptHistory)
            {
                Line("  " + AttemptLine(attempt));
            }
        }

        foreach (var task in run.Tasks.Where(t => !string.IsNullOrWhiteSpace(t.Error)))
        {
            Line($"{task.TaskId} error:");
            Line("  " + task.Error!.TrimEnd().Replace("\n", "\n  ", StringComparison.Ordinal));
        }

        console.MarkupLine(SummaryTable.Headline(run));
    }

    /// <summary>"attempt 2  interrupted  1.2s  on w1  exit 3  message" ("on" only for a cluster worker).</summary>
    public static string AttemptLine(AttemptSnapshot attempt)
    {
        var parts = new List<string>
        {
            "attempt " + attempt.Number.ToString(CultureInfo.InvariantCulture),
            OutcomeName(attempt.Outcome),
            TextFormat.Duration(TextFormat.Elapsed(attempt.StartedAt, attempt.FinishedAt)),
        };
        if (attempt.Worker is { } worker)
        {
            parts.Add("on " + worker);
        }

        if (attempt.ExitCode is { } exit)
        {
            parts.Add("exit " + exit.ToString(CultureInfo.InvariantCulture));
        }

        if (attempt.HttpStatus is { } status)
        {
            parts.Add("http " + status.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrWhiteSpace(attempt.Error))
        {
            parts.Add(TextFormat.Preview(attempt.Error, 100));
        }

        return string.Join("  ", parts.Where(p => p.Length > 0));
    }

    /// <summary>snake_case like the states; an attempt without an outcome is still running.</summary>
    public static string OutcomeName(TaskOutcomeStatus? outcome) => outcome switch
    {
        null => "running",
        TaskOutcomeStatus.Succeeded => "succeeded",
        TaskOutcomeStatus.Failed => "failed",
        TaskOutcomeStatus.TimedOut => "timed_out",
        TaskOutcomeStatus.Cancelled => "cancelled",
        TaskOutcomeStatus.Interrupted => "interrupted",
        _ => outcome.Value.ToString().ToLowerInvariant(),
    };
}
