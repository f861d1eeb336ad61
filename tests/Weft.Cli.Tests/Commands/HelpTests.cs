using System.CommandLine;
using Weft.Cli;

namespace Weft.Tests.Commands;

/// <summary>What a newcomer sees first: <c>weft</c> alone, <c>weft --help</c>, and the same words
/// meaning the same thing on every command.</summary>
public sealed class HelpTests
{
    private static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task NoArguments_PrintsTheHelp_Exit0()
    {
        var (exit, output, err) = await InvokeAsync();

        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.Equal((await InvokeAsync("--help")).Out, output);
        Assert.Contains("Commands:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopLevelHelp_FitsAScreen_OneLineSummaryPerCommand_ExamplesInEachCommand()
    {
        var (exit, output, _) = await InvokeAsync("--help");
        var lines = output.TrimEnd().Split('\n');

        Assert.Equal(0, exit);
        Assert.True(lines.Length <= 40, $"{lines.Length} lines:\n{output}");
        Assert.True(lines.All(l => l.TrimEnd('\r').Length <= 100), output);
        Assert.DoesNotContain("Examples:", output, StringComparison.Ordinal);
        Assert.Contains("  run <FILE>        Run a workflow and wait for it to end.", output, StringComparison.Ordinal);
        Assert.Contains("weft COMMAND --help", output, StringComparison.Ordinal);
        foreach (var command in WeftCli.Build(CliIo.Redirected(TextWriter.Null, TextWriter.Null)).Subcommands)
        {
            Assert.Contains($"  {command.Name}", output, StringComparison.Ordinal);
        }

        Assert.Contains("Examples:", (await InvokeAsync("run", "--help")).Out, StringComparison.Ordinal);
        Assert.Contains("Examples:", (await InvokeAsync("runs", "show", "--help")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupHelp_ListsSubcommandsInOneSentenceEach()
    {
        var (exit, output, _) = await InvokeAsync("runs", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("  show <ID>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("weft runs show 0192f3c4… --json", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCommandWithServer_AlsoHasToken_AndWorkersHasServer()
    {
        var root = WeftCli.Build(CliIo.Redirected(TextWriter.Null, TextWriter.Null));
        var withServer = Descendants(root).Where(c => c.Options.Any(o => o.Name == "--server")).ToList();

        Assert.Contains(withServer, c => c.Name == "run");
        Assert.Contains(withServer, c => c.Name == "workers");
        Assert.Contains(withServer, c => c.Name == "trigger");
        Assert.All(withServer, c => Assert.True(c.Options.Any(o => o.Name == "--token"), $"`{c.Name}` has --server but no --token"));
    }

    private static IEnumerable<Command> Descendants(Command command) =>
        command.Subcommands.SelectMany(c => Descendants(c).Prepend(c));
}
