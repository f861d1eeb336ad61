using System.Net.Http.Json;
using System.Text.Json;
using Weft.Cli;
using Weft.Definitions;

namespace Weft.Server.Tests;

/// <summary>The CLI against a real server: registered workflows run by name, <c>--priority</c> and
/// <c>--dedup-key</c>, shortened run ids, and <c>weft workers --server</c>.</summary>
public sealed class CliCompleteTests
{
    private const string Greeter = """
        name: greeter
        params:
          who: world
        tasks:
          greet:
            shell: echo "hi {{ params.who }}"
        """;

    private static async Task<(int Code, string Out, string Error)> WeftAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Run_RegisteredName_WithParamsPriorityAndDedupKey()
    {
        await using var server = await TestServer.StartAsync();
        var register = await server.Client.PostAsJsonAsync("/api/workflows", new { definition = Greeter });
        Assert.True(register.IsSuccessStatusCode, await register.Content.ReadAsStringAsync());

        var (code, output, error) = await WeftAsync("run", "greeter", "--server", server.Address, "-p", "who=ada", "--priority", "high", "--dedup-key", "greet-ada", "--json");
        var again = await WeftAsync("run", "greeter", "--server", server.Address, "-p", "who=ada", "--dedup-key", "greet-ada", "--json");

        Assert.True(code == 0, error);
        var run = JsonDocument.Parse(output).RootElement;
        var runId = run.GetProperty("runId").GetString()!;
        Assert.Equal("hi ada", run.GetProperty("tasks").GetProperty("greet").GetProperty("output").GetString()!.Trim());
        Assert.Equal(TaskPriority.High, (await server.Engine.Store.LoadRunAsync(runId))!.Record.Priority);
        Assert.Equal(0, again.Code);
        Assert.Equal(runId, JsonDocument.Parse(again.Out).RootElement.GetProperty("runId").GetString());
        Assert.Contains($"already started: following run {runId}", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NameTheServerDoesNotKnow_Exit2SayingSo()
    {
        await using var server = await TestServer.StartAsync();

        var (code, output, error) = await WeftAsync("run", "no-such-flow", "--server", server.Address);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("'no-such-flow' is neither a workflow file here nor a workflow registered on", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingFilePath_IsAMissingFile_NotAName()
    {
        await using var server = await TestServer.StartAsync();

        var (code, _, error) = await WeftAsync("run", "flows/missing.yaml", "--server", server.Address);

        Assert.Equal(2, code);
        Assert.Contains("file not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsCommands_AcceptAUniquePrefix_AmbiguousListsCandidates_ShortIsRefused()
    {
        await using var server = await TestServer.StartAsync();
        var definition = WorkflowLoader.Parse(Workflows.Hello, "hello.yaml");
        foreach (var id in new[] { "0192f3c4aa01", "0192f3c4bb02" })
        {
            await (await server.Engine.SubmitAsync(definition, null, new SubmitOptions { RunId = id })).WaitAsync();
        }

        var show = await WeftAsync("runs", "show", "0192f3c4a", "--server", server.Address, "--json");
        var output = await WeftAsync("runs", "output", "0192f3c4bb", "greet", "--server", server.Address);
        var ambiguous = await WeftAsync("runs", "show", "0192f3", "--server", server.Address);
        var tooShort = await WeftAsync("runs", "retry", "0192f", "--server", server.Address);
        var unknown = await WeftAsync("runs", "cancel", "ffffffff", "--server", server.Address);

        Assert.True(show.Code == 0, show.Error);
        Assert.Equal("0192f3c4aa01", JsonDocument.Parse(show.Out).RootElement.GetProperty("runId").GetString());
        Assert.True(output.Code == 0, output.Error);
        Assert.Equal("hello-from-weft", output.Out.Trim());
        Assert.Equal(2, ambiguous.Code);
        Assert.Contains("run id '0192f3' is ambiguous: 2 runs", ambiguous.Error, StringComparison.Ordinal);
        Assert.Contains("  0192f3c4aa01  hello  succeeded", ambiguous.Error, StringComparison.Ordinal);
        Assert.Contains("  0192f3c4bb02  hello  succeeded", ambiguous.Error, StringComparison.Ordinal);
        Assert.Equal(2, tooShort.Code);
        Assert.Contains("at least 6 characters", tooShort.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("no run with id 'ffffffff'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListRuns_IdPrefix_FiltersTheRuns()
    {
        await using var server = await TestServer.StartAsync();
        var definition = WorkflowLoader.Parse(Workflows.Hello, "hello.yaml");
        foreach (var id in new[] { "abcdef01", "abcdef02", "bbcdef03" })
        {
            await (await server.Engine.SubmitAsync(definition, null, new SubmitOptions { RunId = id })).WaitAsync();
        }

        var page = await server.GetJsonAsync("/api/runs?idPrefix=abcdef");

        Assert.Equal(["abcdef02", "abcdef01"], page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("runId").GetString()).Order().Reverse());
    }

    [Fact]
    public async Task RunsShowJson_Server_CarriesAttemptExitCodesAndTheFailedParent()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync("""
            name: breaks
            tasks:
              ok:
                shell: echo fine
              build:
                shell: exit 3
              test:
                noop: {}
                dependsOn: [build, ok]
            """);
        await server.WaitAsync(runId);

        var (code, output, error) = await WeftAsync("runs", "show", runId, "--server", server.Address, "--json");

        Assert.True(code == 0, error);
        var tasks = JsonDocument.Parse(output).RootElement.GetProperty("tasks");
        Assert.Equal(0, tasks.GetProperty("ok").GetProperty("exitCode").GetInt32());
        var attempt = Assert.Single(tasks.GetProperty("build").GetProperty("attemptHistory").EnumerateArray());
        Assert.Equal(3, attempt.GetProperty("exitCode").GetInt32());
        Assert.Equal("failed", attempt.GetProperty("outcome").GetString());
        Assert.Equal("build", tasks.GetProperty("test").GetProperty("upstreamFailed").GetString());
        Assert.Equal("upstream task 'build' failed", tasks.GetProperty("test").GetProperty("error").GetString());
    }

    [Fact]
    public async Task Workers_Server_ListsTheServersWorkers()
    {
        await using var server = await TestServer.StartAsync();

        var (code, output, error) = await WeftAsync("workers", "--server", server.Address, "--json");
        var text = await WeftAsync("workers", "--server", server.Address);

        Assert.True(code == 0, error);
        var worker = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal(4, worker.GetProperty("slots").GetInt32());
        Assert.Equal("alive", worker.GetProperty("state").GetString());
        Assert.Equal(0, text.Code);
        Assert.Contains("alive", text.Out, StringComparison.Ordinal);
    }
}
