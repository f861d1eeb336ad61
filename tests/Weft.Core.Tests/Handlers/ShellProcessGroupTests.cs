using System.Diagnostics;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;

namespace Weft.Tests.Handlers;

/// <summary>A task's processes end with the task, however it ends: each task runs in its own process
/// group, killed whole. The probes are real processes; an orphan (its parent exited at once) is out of
/// reach of a process-tree kill, so only the group kill ends it.</summary>
public sealed class ShellProcessGroupTests : IDisposable
{
    private static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GoneWithin = TimeSpan.FromSeconds(3);
    private readonly TempDirectory _temp = new();
    private readonly List<string> _pidFiles = [];

    public void Dispose()
    {
        foreach (var file in _pidFiles)
        {
            KillStray(file);
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task Cancel_KillsAnOrphanedGrandchild()
    {
        var bgPid = PidFile("orphan.pid");
        using var cts = new CancellationTokenSource();
        var handler = new ShellHandler(pipeDrainGrace: TimeSpan.FromMilliseconds(200));

        var running = handler.ExecuteAsync(Invocations.For(new ShellSpec($"( sleep 300 & echo $! > {bgPid} ); sleep 300"), cancellationToken: cts.Token));
        var orphan = await ProcessProbe.ReadPidFile(bgPid, HardTimeout);
        await cts.CancelAsync();
        var outcome = await running.WithHardTimeout(HardTimeout);

        Assert.Equal(TaskOutcomeStatus.Cancelled, outcome.Status);
        await ProcessProbe.WaitUntil(() => ProcessProbe.IsGone(orphan), GoneWithin, "the orphaned grandchild to die");
    }

    [Fact]
    public async Task TaskThatEndsByItself_LeavesNoBackgroundJobBehind()
    {
        var bgPid = PidFile("bg.pid");
        var handler = new ShellHandler(pipeDrainGrace: TimeSpan.FromMilliseconds(200));

        var outcome = await handler.ExecuteAsync(Invocations.For(new ShellSpec($"sleep 300 & echo $! > {bgPid}; echo done"))).WithHardTimeout(HardTimeout);
        var grandchild = await ProcessProbe.ReadPidFile(bgPid, HardTimeout);

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("done", outcome.Output);
        await ProcessProbe.WaitUntil(() => ProcessProbe.IsGone(grandchild), GoneWithin, "the background job to die");
    }

    [Fact]
    public async Task TaskProcess_LeadsItsOwnProcessGroup()
    {
        var outcome = await new ShellHandler().ExecuteAsync(Invocations.For(new ShellSpec("echo $$ $(cut -d' ' -f5 /proc/$$/stat)"))).WithHardTimeout(HardTimeout);

        var parts = outcome.Output!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(parts[0], parts[1]);
        Assert.NotEqual(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[0]);
    }

    [Fact]
    public async Task EngineDispose_KillsTheRunningTasksWholeGroup()
    {
        var shPid = PidFile("sh.pid");
        var bgPid = PidFile("orphan.pid");
        var engine = WeftEngine.Create(o => o.Workers = 1);
        var flow = new WorkflowDefinition("groups", [new TaskDefinition("t", new ShellSpec($"echo $$ > {shPid}; ( sleep 300 & echo $! > {bgPid} ); sleep 300"))]);

        await engine.SubmitAsync(flow);
        var shell = await ProcessProbe.ReadPidFile(shPid, HardTimeout);
        var orphan = await ProcessProbe.ReadPidFile(bgPid, HardTimeout);
        await engine.DisposeAsync().AsTask().WaitAsync(HardTimeout);

        await ProcessProbe.WaitUntil(() => ProcessProbe.IsGone(shell), GoneWithin, "the task's shell to die");
        await ProcessProbe.WaitUntil(() => ProcessProbe.IsGone(orphan), GoneWithin, "the orphaned grandchild to die");
    }

    private string PidFile(string name)
    {
        var path = _temp.File(name);
        _pidFiles.Add(path);
        return path;
    }

    /// <summary>Ends a process a failing test left behind, by its PID.</summary>
    private static void KillStray(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            return;
        }

        // Only a sleep we started: the PID may belong to another process by now.
        if (!File.Exists($"/proc/{pid}/cmdline") || !File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("sleep", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var stray = Process.GetProcessById(pid);
            stray.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }
}
