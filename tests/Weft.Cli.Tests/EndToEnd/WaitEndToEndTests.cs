using Microsoft.Data.Sqlite;
using Weft.Sqlite;

namespace Weft.Tests.EndToEnd;

/// <summary>Waits with real processes on one SQLite file: <c>weft runs signal --store</c> from another
/// process reaches the task a running <c>weft run</c> waits on; a process killed by SIGKILL during the
/// wait leaves it waiting in the store, and <c>weft runs resume</c> waits on and takes the signal.</summary>
[Trait("Category", "EndToEnd")]
public sealed class WaitEndToEndTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private const string Flow = """
        name: release
        tasks:
          build:
            shell: echo built
          approve:
            dependsOn: build
            wait: { signal: approval, timeout: 72h }
          deploy:
            dependsOn: approve
            shell: 'echo "deploying {{ tasks.approve.output.version }}"'
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    private string Db => Path.Combine(_files.Directory, "weft.db");

    private string Store => "sqlite:" + Db;

    private string WriteFlow() => _files.Write("release.yaml", Flow);

    // The id of the run whose task 'approve' the store records as waiting, once it does.
    private async Task<string> WaitingRunAsync()
    {
        var until = DateTime.UtcNow + Within;
        while (DateTime.UtcNow < until)
        {
            if (File.Exists(Db))
            {
                await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Db });
                foreach (var summary in await store.ListRunsAsync(new Storage.RunQuery()))
                {
                    var run = await store.GetRunAsync(summary.RunId);
                    if (run?.Tasks.Single(t => t.TaskId == "approve").State == TaskState.Waiting)
                    {
                        return run.RunId;
                    }
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no run waited on 'approve'");
    }

    [Fact]
    public async Task SignalThroughTheStore_ReachesTheWaitOfARunningWeftRun()
    {
        var flow = WriteFlow();
        using var run = WeftProcess.Start(_files.Directory, "run", flow, "--store", Store);
        var runId = await WaitingRunAsync();
        var waiting = await WeftProcess.RunAsync(_files.Directory, "runs", "show", runId, "--store", Store);
        Assert.Contains("approve: waits for signal 'approval', at most until ", waiting.Stdout, StringComparison.Ordinal);

        var early = await WeftProcess.RunAsync(_files.Directory, "runs", "signal", runId, "deploy", "--store", Store);
        Assert.Equal(2, early.ExitCode);
        Assert.Contains("task 'deploy' of run", early.Stderr, StringComparison.Ordinal);
        Assert.Contains("is pending, not waiting", early.Stderr, StringComparison.Ordinal);
        var badData = await WeftProcess.RunAsync(_files.Directory, "runs", "signal", runId, "approve", "--data", "{version:", "--store", Store);
        Assert.Equal(2, badData.ExitCode);
        Assert.StartsWith("error: --data must be JSON", badData.Stderr, StringComparison.Ordinal);

        var signal = await WeftProcess.RunAsync(_files.Directory, "runs", "signal", runId[..8], "approve", "--data", """{"version":"1.4.2"}""", "--store", Store);
        Assert.True(signal.ExitCode == 0, signal.ToString());
        Assert.StartsWith($"approved task approve of run {runId}", signal.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, await run.WaitForExitAsync().WaitAsync(Within));
        var output = await WeftProcess.RunAsync(_files.Directory, "runs", "output", runId, "deploy", "--store", Store);
        Assert.Equal("deploying 1.4.2", output.Stdout.Trim());
        var shown = await WeftProcess.RunAsync(_files.Directory, "runs", "show", runId, "--store", Store);
        Assert.Contains("approve: 1 attempts", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("on signal from cli ", shown.Stdout, StringComparison.Ordinal);

        var late = await WeftProcess.RunAsync(_files.Directory, "runs", "signal", runId, "approve", "--store", Store);
        Assert.Equal(2, late.ExitCode);
        Assert.Contains("is succeeded, not waiting", late.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProcessKilledDuringTheWait_LeavesItWaiting_AndResumeTakesTheRejectSignal()
    {
        var flow = WriteFlow();
        string runId;
        using (var run = WeftProcess.Start(_files.Directory, "run", flow, "--store", Store))
        {
            runId = await WaitingRunAsync();
            run.Crash();
            await run.WaitForExitAsync().WaitAsync(Within);
        }

        using var resumed = WeftProcess.Start(_files.Directory, "runs", "resume", runId, "--store", Store);
        // The resumed process holds the run once its lease is taken; signalling meanwhile is recorded either way.
        var signal = await WeftProcess.RunAsync(_files.Directory, "runs", "signal", runId, "approve", "--reject", "--store", Store);
        Assert.True(signal.ExitCode == 0, signal.ToString());

        Assert.Equal(1, await resumed.WaitForExitAsync().WaitAsync(Within));
        var shown = await WeftProcess.RunAsync(_files.Directory, "runs", "show", runId, "--store", Store, "--json");
        Assert.Contains("\"upstream_failed\"", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("rejected by cli ", shown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseAndResumeThroughTheStore_ReachTheProcessRunningTheRun()
    {
        var flow = _files.Write("pausable.yaml", """
            name: pausable
            tasks:
              approve:
                wait: { signal: go }
              then:
                dependsOn: approve
                shell: echo after-resume
            """);
        using var run = WeftProcess.Start(_files.Directory, "run", flow, "--store", Store);
        var runId = await WaitingRunAsync();

        var pause = await WeftProcess.RunAsync(_files.Directory, "runs", "pause", runId, "--store", Store);
        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.StartsWith($"pausing run {runId} (pausable): the process running it pauses it within about a second", pause.Stdout, StringComparison.Ordinal);
        await StoredAsync(runId, r => r.State == RunState.Paused, "the run paused");

        // A paused run's waits still end; what follows them does not start until it is resumed.
        var signal = await WeftProcess.RunAsync(_files.Directory, "runs", "signal", runId, "approve", "--store", Store);
        Assert.True(signal.ExitCode == 0, signal.ToString());
        await StoredAsync(runId, r => r.Tasks.Single(t => t.TaskId == "approve").State == TaskState.Succeeded, "approve succeeded");
        var held = await StoredAsync(runId, r => r.State == RunState.Paused, "the run still paused");
        Assert.NotEqual(TaskState.Succeeded, held.Tasks.Single(t => t.TaskId == "then").State);
        var again = await WeftProcess.RunAsync(_files.Directory, "runs", "pause", runId, "--store", Store);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("is paused; only a running run can be paused", again.Stderr, StringComparison.Ordinal);

        var resume = await WeftProcess.RunAsync(_files.Directory, "runs", "resume", runId, "--store", Store);
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.StartsWith($"resuming run {runId} (pausable): the process running it goes on", resume.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await run.WaitForExitAsync().WaitAsync(Within));
        Assert.Contains("after-resume", (await WeftProcess.RunAsync(_files.Directory, "runs", "output", runId, "then", "--store", Store)).Stdout, StringComparison.Ordinal);
    }

    private async Task<RunSnapshot> StoredAsync(string runId, Func<RunSnapshot, bool> condition, string what)
    {
        var until = DateTime.UtcNow + Within;
        while (DateTime.UtcNow < until)
        {
            await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Db });
            if (await store.GetRunAsync(runId) is { } run && condition(run))
            {
                return run;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"not seen in the store: {what}");
    }
}
