using Spectre.Console;
using Spectre.Console.Rendering;

namespace Weft.Cli.Output;

/// <summary>The table printed when a run ends: one row per task in definition order, then a line
/// with the run's outcome.</summary>
internal static class SummaryTable
{
    public static void Write(IAnsiConsole console, RunSnapshot run)
    {
        console.Write(Build(run));
        console.MarkupLine(Headline(run));
    }

    public static Table Build(RunSnapshot run)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("task");
        table.AddColumn("state");
        table.AddColumn(new TableColumn("attempts").RightAligned());
        table.AddColumn(new TableColumn("duration").RightAligned());
        table.AddColumn("output");
        table.AddColumn("error");
        foreach (var task in run.Tasks)
        {
            table.AddRow(
                new Text(TerminalText.Clean(task.TaskId)),
                StateText(task.State),
                new Text(task.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(TextFormat.Duration(TextFormat.Elapsed(task.StartedAt, task.FinishedAt))),
                new Text(TextFormat.Preview(task.Output)),
                new Text(TextFormat.Preview(task.Error), new Style(Color.Red)));
        }

        return table;
    }

    public static string Headline(RunSnapshot run)
    {
        var color = run.State switch
        {
            RunState.Succeeded => "green",
            RunState.Failed or RunState.TimedOut => "red",
            _ => "yellow",
        };
        var took = run.Duration is { } d ? $" in {TextFormat.Duration(d)}" : "";
        return $"run [bold]{Markup.Escape(TerminalText.Clean(run.RunId))}[/] ({Markup.Escape(TerminalText.Clean(run.Workflow))}) [{color}]{run.State.ToName()}[/]{took}";
    }

    public static IRenderable StateText(TaskState state) => new Text(state.ToName(), new Style(StateColor(state)));

    private static Color StateColor(TaskState state) => state switch
    {
        TaskState.Succeeded or TaskState.Cached => Color.Green,
        TaskState.Failed or TaskState.TimedOut or TaskState.UpstreamFailed => Color.Red,
        TaskState.Running => Color.Blue,
        TaskState.Waiting => Color.Aqua,
        TaskState.Retrying or TaskState.Cancelled => Color.Yellow,
        _ => Color.Grey,
    };
}
