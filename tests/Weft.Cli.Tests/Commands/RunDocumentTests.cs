using System.Text.Json;
using Weft.Cli;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Commands;

/// <summary>What <c>weft run</c> and <c>weft runs show</c> tell about tasks, in text and in JSON:
/// every attempt with its error and exit code, exit code 0 for a shell task that succeeded, and the
/// parent an <c>upstream_failed</c> task waited on.</summary>
public sealed class RunDocumentTests : IDisposable
{
    private const string Flow = """
        name: build-and-test
        params:
          who: world
        tasks:
          lint:
            shell: echo linted
          build:
            shell: echo "compiling" ; echo "no compiler" >&2 ; exit 3
            retry: { strategy: immediate, maxAttempts: 2 }
          test:
            shell: echo testing
            dependsOn: [build, lint]
          deploy:
            noop: {}
            dependsOn: [test]
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    private static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task RunsShowJson_CarriesAttemptsExitCodesAndTheFailedParent()
    {
        var flow = Path.Combine(_files.Directory, _files.Write("flow.yaml", Flow));
        var store = "sqlite:" + Path.Combine(_files.Directory, "runs.db");
        var (exit, output, err) = await InvokeAsync("run", flow, "--store", store, "--json");
        var runId = JsonDocument.Parse(output).RootElement.GetProperty("runId").GetString()!;

        var show = await InvokeAsync("runs", "show", runId, "--store", store, "--json");
        var text = await InvokeAsync("runs", "show", runId, "--store", store);

        Assert.True(exit == 1, err);
        Assert.Equal(0, show.Exit);
        var doc = JsonDocument.Parse(show.Out).RootElement;
        Assert.Equal("world", doc.GetProperty("params").GetProperty("who").GetString());
        Assert.Equal(JsonValueKind.String, doc.GetProperty("submittedAt").ValueKind);
        var tasks = doc.GetProperty("tasks");

        var lint = tasks.GetProperty("lint");
        Assert.Equal("succeeded", lint.GetProperty("state").GetString());
        Assert.Equal(0, lint.GetProperty("exitCode").GetInt32());
        Assert.Equal(0, Assert.Single(lint.GetProperty("attemptHistory").EnumerateArray()).GetProperty("exitCode").GetInt32());

        var build = tasks.GetProperty("build");
        var attempts = build.GetProperty("attemptHistory").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Equal("failed", a.GetProperty("outcome").GetString());
            Assert.Equal(3, a.GetProperty("exitCode").GetInt32());
            Assert.Equal("exit code 3: no compiler", a.GetProperty("error").GetString());
        });
        Assert.Equal([1, 2], attempts.Select(a => a.GetProperty("number").GetInt32()));

        var test = tasks.GetProperty("test");
        Assert.Equal("upstream_failed", test.GetProperty("state").GetString());
        Assert.Equal("build", test.GetProperty("upstreamFailed").GetString());
        Assert.Equal("upstream task 'build' failed", test.GetProperty("error").GetString());
        var deploy = tasks.GetProperty("deploy");
        Assert.Equal("test", deploy.GetProperty("upstreamFailed").GetString());
        Assert.Equal(JsonValueKind.Null, lint.GetProperty("upstreamFailed").ValueKind);

        Assert.Contains("upstream task 'build' failed", text.Out, StringComparison.Ordinal);
        Assert.Contains("attempt 2  failed", text.Out, StringComparison.Ordinal);
        Assert.Contains("exit 3  exit code 3: no compiler", text.Out, StringComparison.Ordinal);

        // weft run --json is the same document.
        Assert.Equal(show.Out.Replace("\r", "", StringComparison.Ordinal), output.Replace("\r", "", StringComparison.Ordinal));
    }
}
