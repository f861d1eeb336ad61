using System.Globalization;
using Spectre.Console;
using Weft.Storage;

namespace Weft.Cli.Output;

/// <summary>The table of <c>weft runs list</c>: one row per run, newest first, times in the local
/// time zone.</summary>
internal static class RunListTable
{
    public static Table Build(IEnumerable<RunSummary> runs, TimeZoneInfo zone)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("run id");
        table.AddColumn("workflow");
        table.AddColumn("state");
        table.AddColumn("started");
        table.AddColumn("finished");
        table.AddColumn(new TableColumn("duration").RightAligned());
        foreach (var run in runs)
        {
            table.AddRow(
                new Text(TerminalText.Clean(run.RunId)),
                new Text(TerminalText.Clean(run.ParentRunId is { } parent ? $"{run.Workflow} (child of {Short(parent)})" : run.Workflow)),
                new Text(run.State.ToName(), new Style(StateColor(run.State))),
                new Text(Time(run.StartedAt, zone)),
                new Text(Time(run.FinishedAt, zone)),
                new Text(TextFormat.Duration(TextFormat.Elapsed(run.StartedAt, run.FinishedAt))));
        }

        return table;
    }

    /// <summary>A run id cut to its first 12 characters (enough to find it with <c>weft runs show</c>).</summary>
    private static string Short(string runId) => runId.Length > 12 ? runId[..12] : runId;

    /// <summary>"2026-11-22 15:32:12" in <paramref name="zone"/>; empty when there is no time.</summary>
    public static string Time(DateTimeOffset? value, TimeZoneInfo zone) =>
        value is { } t ? TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    private static Color StateColor(RunState state) => state switch
    {
        RunState.Succeeded => Color.Green,
        RunState.Failed or RunState.TimedOut => Color.Red,
        RunState.Running => Color.Blue,
        _ => Color.Yellow,
    };
}
