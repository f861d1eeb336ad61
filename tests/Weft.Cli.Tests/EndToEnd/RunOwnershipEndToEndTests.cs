using Microsoft.Data.Sqlite;

namespace Weft.Tests.EndToEnd;

/// <summary>Issue #11 item 7, with real processes on one SQLite file: while a <c>weft run</c> runs,
/// <c>weft runs resume</c> of its run is refused naming it, and neither a read-only server nor a
/// second server takes the run up. Each task counts its executions in a file: each runs once.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RunOwnershipEndToEndTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private const string Flow = """
        name: counted
        tasks:
          a:
            shell: 'echo a >> executions.log'
          b:
            shell: 'echo b >> executions.log; while [ ! -f gate ]; do sleep 0.05; done'
            dependsOn: [a]
          c:
            shell: 'echo c >> executions.log'
            dependsOn: [b]
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    private string[] Executions()
    {
        var log = Path.Combine(_files.Directory, "executions.log");
        return File.Exists(log) ? File.ReadAllLines(log) : [];
    }

    [Fact]
    public async Task OtherProcessesOnTheFile_LeaveALiveRunToItsOwner_EachTaskRunsOnce()
    {
        var flow = _files.Write("flow.yaml", Flow);
        using var owner = WeftProcess.Start(_files.Directory, "run", flow, "--store", "sqlite:weft.db");
        using (var timeout = new CancellationTokenSource(Within))
        {
            while (!Executions().Contains("b"))
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        var runId = RunId();

        var resume = await WeftProcess.RunAsync(_files.Directory, "runs", "resume", runId, "--store", "sqlite:weft.db");
        Assert.True(resume.ExitCode == 2, resume.ToString());
        Assert.Contains($"run '{runId}' is being run by weft process {owner.Id} on {Environment.MachineName}", resume.Stderr, StringComparison.Ordinal);

        using var readOnly = WeftProcess.Start(_files.Directory, "server", "--read-only", "--store", "sqlite:weft.db", "--urls", "http://127.0.0.1:0");
        Assert.True(await readOnly.WaitForOutputAsync("read-only: 1 unfinished run(s)", Within), readOnly.Stdout + readOnly.Stderr);
        using var server = WeftProcess.Start(_files.Directory, "server", "--store", "sqlite:weft.db", "--urls", "http://127.0.0.1:0");
        Assert.True(await server.WaitForOutputAsync($"left unfinished run {runId} to weft process {owner.Id}", Within), server.Stdout + server.Stderr);

        File.WriteAllText(Path.Combine(_files.Directory, "gate"), "");
        Assert.Equal(0, await owner.WaitForExitAsync());
        Assert.Equal(["a", "b", "c"], Executions());
        Assert.DoesNotContain("resumed unfinished run", server.Stdout, StringComparison.Ordinal);
    }

    private string RunId()
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(_files.Directory, "weft.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = "SELECT run_id FROM runs";
        return (string)command.ExecuteScalar()!;
    }
}
