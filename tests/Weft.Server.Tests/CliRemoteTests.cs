using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Weft.Cli;

namespace Weft.Server.Tests;

/// <summary><c>weft run --server</c>, <c>weft schedules</c> and <c>weft server</c>'s refusals, through the real command tree.</summary>
public sealed class CliRemoteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-cli-remote-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Error)> WeftAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (code, output.ToString(), error.ToString());
    }

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task RunServer_Json_SameDocumentAndExitCode()
    {
        await using var server = await TestServer.StartAsync();

        var (code, output, error) = await WeftAsync("run", File("hello.yaml", Workflows.Hello), "--server", server.Address, "--json");

        Assert.True(code == 0, error);
        var doc = JsonDocument.Parse(output).RootElement;
        Assert.Equal("succeeded", doc.GetProperty("state").GetString());
        Assert.Contains("hello-from-weft", doc.GetProperty("tasks").GetProperty("greet").GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunServer_Text_PrintsEventsAndSummary_FailedRunExits1()
    {
        await using var server = await TestServer.StartAsync();
        var failing = File("fail.yaml", "name: fails\ntasks:\n  boom:\n    shell: exit 3\n");

        var ok = await WeftAsync("run", File("hello.yaml", Workflows.Hello), "--server", server.Address);
        var bad = await WeftAsync("run", failing, "--server", server.Address);

        Assert.Equal(0, ok.Code);
        Assert.Contains("greet", ok.Out, StringComparison.Ordinal);
        Assert.Equal(1, bad.Code);
    }

    [Fact]
    public async Task RunServer_InvalidFileOrUnreachableServer_ClearErrors()
    {
        var invalid = await WeftAsync("run", File("bad.yaml", "name: bad\ntasks:\n  a:\n    shel: x\n"), "--server", "http://127.0.0.1:1");
        var unreachable = await WeftAsync("run", File("hello.yaml", Workflows.Hello), "--server", "http://127.0.0.1:1");

        Assert.Equal(2, invalid.Code);
        Assert.Contains("bad.yaml:4:5:", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(1, unreachable.Code);
        Assert.Contains("cannot reach the Weft server", unreachable.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedules_ListPauseResumeTrigger()
    {
        await using var server = await TestServer.StartAsync(o => o.EnableSchedules = false);
        await server.Client.PostAsJsonAsync("/api/workflows", new { definition = "name: nightly\nschedule: { cron: \"0 2 * * *\" }\ntasks:\n  a:\n    noop: {}\n" });

        var list = await WeftAsync("schedules", "list", "--server", server.Address);
        var pause = await WeftAsync("schedules", "pause", "nightly", "--server", server.Address);
        var resume = await WeftAsync("schedules", "resume", "nightly", "--server", server.Address);
        var trigger = await WeftAsync("schedules", "trigger", "nightly", "--server", server.Address);
        var unknown = await WeftAsync("schedules", "pause", "nope", "--server", server.Address);

        Assert.Contains("nightly", list.Out, StringComparison.Ordinal);
        Assert.Equal(0, pause.Code);
        Assert.Equal(0, resume.Code);
        Assert.StartsWith("started run ", trigger.Out, StringComparison.Ordinal);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("no schedule for workflow 'nope'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerWorkflows_FolderRegisteredWithSchedules_BadFileStopsAll()
    {
        await using var server = await TestServer.StartAsync(o => o.EnableSchedules = false);
        var registry = server.Engine.Workflows;
        File("nightly.yaml", "name: nightly\nschedule: { cron: \"0 2 * * *\" }\ntasks:\n  a:\n    noop: {}\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var ok = await Weft.Cli.Commands.ServerWorkflows.RegisterAllAsync(_dir, registry, CliIo.Redirected(output, error));
        File("broken.yaml", "name: broken\ntasks:\n  a:\n    shel: x\n");
        var bad = await Weft.Cli.Commands.ServerWorkflows.RegisterAllAsync(_dir, registry, CliIo.Redirected(output, error));

        Assert.True(ok);
        Assert.Contains("registered nightly v1 (schedule 0 2 * * *)", output.ToString(), StringComparison.Ordinal);
        Assert.Single((await server.GetJsonAsync("/api/schedules")).EnumerateArray());
        Assert.False(bad);
        Assert.Contains("broken.yaml:4:5:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunServer_WithAssembly_Exit2()
    {
        var (code, _, error) = await WeftAsync("run", File("hello.yaml", Workflows.Hello), "--server", "http://127.0.0.1:1", "--assembly", "x.dll");

        Assert.Equal(2, code);
        Assert.Contains("--assembly cannot be used with --server", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_NonLoopbackWithoutToken_Exit2BeforeListening()
    {
        var (code, _, error) = await WeftAsync("server", "--urls", "http://0.0.0.0:0");

        Assert.Equal(2, code);
        Assert.Contains("without an API token", error, StringComparison.Ordinal);
    }
}
