using Spectre.Console;

namespace Weft.Cli;

/// <summary>Where a command writes: plain writers for documents and messages, and a Spectre console
/// over the same standard output for tables and the live view. Tests pass string writers.</summary>
internal sealed record CliIo(TextWriter Out, TextWriter Error, IAnsiConsole Ansi, bool OutIsTerminal)
{
    public static CliIo FromConsole()
    {
        var terminal = !Console.IsOutputRedirected;
        var ansi = terminal ? AnsiConsole.Console : Plain(Console.Out);
        return new CliIo(Console.Out, Console.Error, ansi, terminal);
    }

    /// <summary>A non-terminal setup over the given writers: no colours, no cursor movement.</summary>
    public static CliIo Redirected(TextWriter output, TextWriter error) => new(output, error, Plain(output), false);

    private static IAnsiConsole Plain(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
}
