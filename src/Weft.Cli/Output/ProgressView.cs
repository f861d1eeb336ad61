using Spectre.Console;
using Spectre.Console.Rendering;

namespace Weft.Cli.Output;

/// <summary>The live view while a run goes on in a terminal: a bar of final tasks out of all tasks
/// and a table of the tasks running now, redrawn in place about ten times a second from
/// <see cref="WeftEngine.GetRun"/>. Polling (rather than the event stream) keeps the redraw rate
/// fixed however many tasks finish per second.</summary>
internal static class ProgressView
{
    private const int BarWidth = 40;
    private const int MaxRunningRows = 12;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Shows progress until <paramref name="completion"/> finishes; the display is cleared
    /// at the end so the summary table follows it cleanly.</summary>
    public static async Task ShowAsync(IAnsiConsole console, Func<RunSnapshot?> poll, Task completion, TimeProvider clock)
    {
        var live = console.Live(new Text("starting…")).AutoClear(true).Overflow(VerticalOverflow.Ellipsis);
        await live.StartAsync(async ctx =>
        {
            while (!completion.IsCompleted)
            {
                if (poll() is { } run)
                {
                    ctx.UpdateTarget(Render(run, clock.GetUtcNow()));
                    ctx.Refresh();
                }

                await Task.WhenAny(completion, Task.Delay(Interval, clock)).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    public static IRenderable Render(RunSnapshot run, DateTimeOffset now)
    {
        var total = run.Tasks.Count;
        var done = run.Tasks.Count(t => t.State.IsFinal());
        var failed = run.Tasks.Count(t => t.State is TaskState.Failed or TaskState.TimedOut or TaskState.UpstreamFailed);
        var filled = total == 0 ? BarWidth : done * BarWidth / total;
        var percent = total == 0 ? 100 : done * 100 / total;
        var bar = $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/]";
        var failedText = failed > 0 ? $"  [red]{failed} failed[/]" : "";
        var header = new Markup(
            $"[bold]{Markup.Escape(TerminalText.Clean(run.Workflow))}[/] {Markup.Escape(TerminalText.Clean(run.RunId))}  {bar} {done}/{total} ({percent}%){failedText}");

        var running = run.Tasks.Where(t => t.State is TaskState.Running or TaskState.Retrying or TaskState.Waiting).ToList();
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("running");
        table.AddColumn("state");
        table.AddColumn(new TableColumn("attempt").RightAligned());
        table.AddColumn(new TableColumn("for").RightAligned());
        foreach (var task in running.Take(MaxRunningRows))
        {
            table.AddRow(
                new Text(TerminalText.Clean(task.TaskId)),
                SummaryTable.StateText(task.State),
                new Text(Math.Max(1, task.Attempts).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(TextFormat.Duration(TextFormat.Elapsed(task.StartedAt, now))));
        }

        if (running.Count > MaxRunningRows)
        {
            table.AddRow(new Text($"… and {running.Count - MaxRunningRows} more"), Text.Empty, Text.Empty, Text.Empty);
        }

        return new Rows(header, table);
    }
}
