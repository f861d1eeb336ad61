using System.CommandLine;
using System.CommandLine.Invocation;
using Weft.Cli.Commands;

namespace Weft.Cli;

/// <summary>The <c>weft</c> command tree and its invocation: usage errors exit 2 (System.CommandLine
/// alone would exit 1), unexpected exceptions exit 1 without a stack trace.</summary>
internal static class WeftCli
{
    public static RootCommand Build(CliIo io) => CompactHelp.Apply(new("Weft: run workflows (DAGs of tasks) in dependency order.\nRun 'weft COMMAND --help' for a command's options and examples.")
    {
        CliConfiguration.CreateOption(),
        RunCommand.Create(io),
        ValidateCommand.Create(io),
        GraphCommand.Create(io),
        BenchCommand.Create(io),
        Commands.Runs.RunsCommand.Create(io),
        StatusCommand.Create(io),
        ServerCommand.Create(io),
        WorkerCommand.Create(io),
        WorkersCommand.Create(io),
        DbCommand.Create(io),
        SchedulesCommand.Create(io),
        BreakersCommand.Create(io),
        ConfigCommand.Create(io),
    });

    public static async Task<int> InvokeAsync(string[] args, CliIo io)
    {
        try
        {
            // `weft` alone is someone finding their way: show what there is, not a usage error.
            var result = Build(io).Parse(args.Length == 0 ? ["--help"] : args);
            if (result.Action is ParseErrorAction)
            {
                foreach (var error in result.Errors)
                {
                    io.Error.WriteLine($"error: {error.Message}");
                }

                io.Error.WriteLine($"Run '{CommandPath(result)} --help' for usage.");
                return ExitCodes.InvalidInput;
            }

            var configuration = new InvocationConfiguration
            {
                Output = io.Out,
                Error = io.Error,
                EnableDefaultExceptionHandler = false,

                // `weft run` handles SIGINT/SIGTERM itself: it cancels the run, waits for it to end and
                // exits 130. Elsewhere the default (terminate at once) is right.
                ProcessTerminationTimeout = null,
            };
            return await result.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return TopLevelError.Report(ex, io.Error);
        }
    }

    private static string CommandPath(ParseResult result)
    {
        var names = new List<string>();
        for (var c = result.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(c.Command is RootCommand ? "weft" : c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
