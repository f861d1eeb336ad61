using Weft.Cli;

namespace Weft.Tests.Commands;

/// <summary>Parsing and the checks that happen before a workflow file is read, run in process.</summary>
public sealed class CommandLineTests
{
    private static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (exit, output.ToString(), error.ToString());
    }


    [Theory]
    [InlineData("run")]
    [InlineData("validate")]
    [InlineData("graph")]
    public async Task MissingFile_IsUsageError(string command)
    {
        var (exit, output, err) = await InvokeAsync(command);

        Assert.Equal(2, exit);
        Assert.Contains("FILE", err, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("run", "flow.yaml", "--bogus")]
    [InlineData("validate", "flow.yaml", "--format", "x")]
    [InlineData("frobnicate")]
    public async Task UnknownOptionOrCommand_IsUsageError(params string[] args)
    {
        var (exit, _, err) = await InvokeAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "flow.yaml", "--workers", "0")]
    [InlineData("run", "flow.yaml", "--workers", "many")]
    [InlineData("graph", "flow.yaml", "--format", "png")]
    [InlineData("bench", "W9")]
    [InlineData("bench", "--runs", "0")]
    public async Task BadOptionValue_IsUsageError(params string[] args) =>
        Assert.Equal(2, (await InvokeAsync(args)).Exit);

    [Theory]
    [InlineData("run", "flow.yaml", "-p", "noequals")]
    [InlineData("run", "flow.yaml", "--param", "=value")]
    [InlineData("run", "flow.yaml", "-p", "a=1", "-p", "a=2")]
    public async Task MalformedParameter_Exits2WithMessage(params string[] args)
    {
        var (exit, output, err) = await InvokeAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: parameter ", err, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task UnusableStore_Exits2WithMessage()
    {
        var (exit, _, err) = await InvokeAsync("run", "flow.yaml", "--store", "postgres://weft:hunter2@127.0.0.1/weft/extra");

        Assert.Equal(2, exit);
        Assert.Equal("error: store 'postgres://weft:***@127.0.0.1/weft/extra': the URI path '/weft/extra' is not a database name; expected postgres://host:port/database", err.Trim());
    }

    [Theory]
    [InlineData("run", "--help")]
    [InlineData("validate", "--help")]
    [InlineData("graph", "--help")]
    [InlineData("bench", "--help")]
    public async Task Help_ExitsZeroWithExamples(params string[] args)
    {
        var (exit, output, _) = await InvokeAsync(args);

        Assert.Equal(0, exit);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepeatedParamsAndAssemblies_AreCollectedInOrder()
    {
        var root = WeftCli.Build(CliIo.Redirected(TextWriter.Null, TextWriter.Null));

        var result = root.Parse(["run", "-p", "a=1", "flow.yaml", "--param", "b=x=y", "--assembly", "one.dll", "--assembly", "two.dll", "-w", "4", "--json"]);

        Assert.Empty(result.Errors);
        Assert.Equal(["a=1", "b=x=y"], result.GetValue<string[]>("--param")!);
        Assert.Equal(["one.dll", "two.dll"], result.GetValue<string[]>("--assembly")!);
        Assert.Equal(4, result.GetValue<int>("--workers"));
        Assert.True(result.GetValue<bool>("--json"));
        Assert.Equal("flow.yaml", result.GetValue<string>("FILE"));
    }

    [Fact]
    public void Parse_RunDefaults_AreSixteenWorkersAndTheDefaultStore()
    {
        var root = WeftCli.Build(CliIo.Redirected(TextWriter.Null, TextWriter.Null));

        var result = root.Parse(["run", "flow.yaml"]);

        Assert.Empty(result.Errors);
        Assert.Equal(16, result.GetValue<int>("--workers"));
        Assert.Null(result.GetValue<string?>("--store"));
        Assert.False(result.GetValue<bool>("--json"));
    }

    [Fact]
    public void TopLevelError_PrintsMessageOnlyAndExits1()
    {
        var error = new StringWriter();

        var exit = TopLevelError.Report(new InvalidOperationException("disk on fire"), error, debug: false);

        Assert.Equal(1, exit);
        Assert.Equal("error: disk on fire", error.ToString().Trim());
    }

    [Fact]
    public void TopLevelError_WithDebug_IncludesTheStackTrace()
    {
        var error = new StringWriter();
        try
        {
            throw new InvalidOperationException("disk on fire");
        }
        catch (InvalidOperationException ex)
        {
            TopLevelError.Report(ex, error, debug: true);
        }

        Assert.Contains("   at ", error.ToString(), StringComparison.Ordinal);
    }
}
