using Spectre.Console;

namespace Weft.Cli;

/// <summary>Where a command writes: plain writers for documents and messages, and a Spectre console
/// over the same standard output for tables and the live view. Tests pass string writers.</summary>
internal sealed class CliIo
{
    private readonly Lazy<IAnsiConsole> _ansi;

    private CliIo(TextWriter output, TextWriter error, Lazy<IAnsiConsole> ansi, bool outIsTerminal)
    {
        Out = output;
        Error = error;
        _ansi = ansi;
        OutIsTerminal = outIsTerminal;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>The Spectre console over <see cref="Out"/>, built on first use (by another thread
    /// meanwhile: then this waits for it).</summary>
    public IAnsiConsole Ansi => _ansi.Value;

    public bool OutIsTerminal { get; }

    public static CliIo FromConsole()
    {
        var terminal = !Console.IsOutputRedirected;
        var output = Console.Out;

        // Building Spectre's console loads its types and probes the terminal's capabilities at a process's
        // start; a command needs it only for its tables and live view, and many never do.
        var ansi = new Lazy<IAnsiConsole>(() => terminal ? AnsiConsole.Console : Plain(output));
        return new CliIo(output, Console.Error, ansi, terminal);
    }

    /// <summary>A non-terminal setup over the given writers: no colours, no cursor movement.</summary>
    public static CliIo Redirected(TextWriter output, TextWriter error) => new(output, error, new Lazy<IAnsiConsole>(Plain(output)), false);

    private static IAnsiConsole Plain(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
}
