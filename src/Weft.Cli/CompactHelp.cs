using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Weft.Cli;

/// <summary>Help that fits a screen. A command that groups others (<c>weft</c>, <c>weft runs</c>…)
/// lists each with the first sentence of its description only; the rest, examples included, is in
/// that command's own help, which System.CommandLine prints as usual.</summary>
internal sealed class CompactHelp(CommandLineAction standard) : SynchronousCommandLineAction
{
    private const int RedirectedWidth = 100;

    public override bool ClearsParseErrors => true;

    public static RootCommand Apply(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is { } standard)
            {
                help.Action = new CompactHelp(standard);
            }
        }

        return root;
    }

    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (command.Subcommands.Count == 0)
        {
            return standard is SynchronousCommandLineAction sync ? sync.Invoke(parseResult) : 0;
        }

        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Description:");
        foreach (var line in (command.Description ?? "").Trim().Split('\n'))
        {
            output.WriteLine(("  " + line.TrimEnd('\r')).TrimEnd());
        }

        output.WriteLine();
        output.WriteLine("Usage:");
        output.WriteLine($"  {Path(parseResult)} [command] [options]");
        output.WriteLine();
        output.WriteLine("Options:");
        WriteRows(output, OptionsOf(parseResult).Select(o => (string.Join(", ", o.Aliases.Prepend(o.Name).Where(a => a.StartsWith('-')).OrderBy(a => a.Length)), o.Description ?? "")));
        output.WriteLine();
        output.WriteLine("Commands:");
        WriteRows(output, command.Subcommands.Where(c => !c.Hidden).Select(c => (Label(c), Summary(c.Description))));
        return 0;
    }

    /// <summary>The first sentence of the first paragraph, on one line.</summary>
    public static string Summary(string? description)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return "";
        }

        var paragraph = description.Trim().Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", 2)[0];
        var line = string.Join(' ', paragraph.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var end = line.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? line : line[..(end + 1)];
    }

    private static string Label(Command command) =>
        string.Join(' ', command.Arguments.Where(a => !a.Hidden).Select(a => $"<{a.Name}>").Prepend(command.Name));

    private static string Path(ParseResult result)
    {
        var names = new List<string>();
        for (var c = result.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(c.Command is RootCommand ? "weft" : c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    // The command's own options and those its ancestors pass down (--help).
    private static IEnumerable<Option> OptionsOf(ParseResult result)
    {
        var own = result.CommandResult.Command.Options.Where(o => !o.Hidden).ToList();
        for (var c = result.CommandResult.Parent as System.CommandLine.Parsing.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            own.AddRange(c.Command.Options.Where(o => o.Recursive && !o.Hidden && !own.Contains(o)));
        }

        return own;
    }

    private static void WriteRows(TextWriter output, IEnumerable<(string Left, string Right)> rows)
    {
        var list = rows.ToList();
        var width = list.Count == 0 ? 0 : list.Max(r => r.Left.Length) + 2;
        var room = Math.Max(30, ScreenWidth() - width - 3);
        foreach (var (left, right) in list)
        {
            var lines = Wrap(right, room);
            output.WriteLine(("  " + left.PadRight(width) + lines[0]).TrimEnd());
            foreach (var more in lines.Skip(1))
            {
                output.WriteLine(new string(' ', width + 2) + more);
            }
        }
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string> { "" };
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lines[^1].Length > 0 && lines[^1].Length + 1 + word.Length > width)
            {
                lines.Add("");
            }

            lines[^1] = lines[^1].Length == 0 ? word : lines[^1] + " " + word;
        }

        return lines;
    }

    private static int ScreenWidth()
    {
        try
        {
            return Console.IsOutputRedirected || Console.WindowWidth <= 0 ? RedirectedWidth : Console.WindowWidth;
        }
        catch (IOException)
        {
            return RedirectedWidth;
        }
    }
}
