using System.Diagnostics;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;

namespace Weft.Tests.Handlers;

public sealed class ShellHandlerCancellationTests : IDisposable
{
    private static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(10);
    private readonly ShellHandler _handler = new();
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ExecuteAsync_Cancelled_KillsWholeTreeQuicklyAndReturnsCancelled()
    {
        var shPid = _temp.File("sh.pid");
        var bgPid = _temp.File("bg.pid");
        var spec = new ShellSpec($"echo $$ > {shPid}; sleep 60 & echo $! > {bgPid}; sleep 60; wait");
        using var cts = new CancellationTokenSource();

        var running = _handler.ExecuteAsync(Invocations.For(spec, cancellationToken: cts.Token));
        var shell = await ProcessProbe.ReadPidFile(shPid, HardTimeout);
        var grandchild = await ProcessProbe.ReadPidFile(bgPid, HardTimeout);
        Assert.False(ProcessProbe.IsGone(grandchild));

        var watch = Stopwatch.StartNew();
        await cts.CancelAsync();
        var outcome = await running.WithHardTimeout(HardTimeout);

        Assert.Equal(TaskOutcomeStatus.Cancelled, outcome.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed} to cancel");
        await ProcessProbe.WaitUntil(() => ProcessProbe.IsGone(shell), TimeSpan.FromSeconds(2), "the shell to die");
        await ProcessProbe.WaitUntil(() => ProcessProbe.IsGone(grandchild), TimeSpan.FromSeconds(2), "the grandchild to die");
    }

    [Fact]
    public async Task ExecuteAsync_TimeoutToken_KillsNestedShellsHoldingThePipe()
    {
        // A nested shell whose background child inherits stdout: the pipe stays open until all die.
        var bgPid = _temp.File("bg.pid");
        var spec = new ShellSpec($"sh -c 'sleep 60 & echo $! > {bgPid}; wait'; echo never");
        using var cts = new CancellationTokenSource();

        var running = _handler.ExecuteAsync(Invocations.For(spec, cancellationToken: cts.Token));
        var grandchild = await ProcessProbe.ReadPidFile(bgPid, HardTimeout);
        await cts.CancelAsync();
        var outcome = await running.WithHardTimeout(HardTimeout);

        Assert.Equal(TaskOutcomeStatus.Cancelled, outcome.Status);
        Assert.Null(outcome.Output);
        await ProcessProbe.WaitUntil(() => ProcessProbe.IsGone(grandchild), TimeSpan.FromSeconds(2), "the great-grandchild to die");
    }

    [Fact]
    public async Task ExecuteAsync_LeftBehindBackgroundJobHoldsStdout_ReturnsAfterDrainGrace()
    {
        var handler = new ShellHandler(pipeDrainGrace: TimeSpan.FromMilliseconds(200));
        var bgPid = _temp.File("bg.pid");
        var spec = new ShellSpec($"sleep 30 & echo $! > {bgPid}; echo hi");
        try
        {
            var outcome = await handler.ExecuteAsync(Invocations.For(spec)).WithHardTimeout(HardTimeout);

            Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
            Assert.Equal("hi", outcome.Output);
        }
        finally
        {
            KillStray(bgPid);
        }
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileOrphanEscapedTheTreeHoldsStdout_DoesNotHang()
    {
        // The subshell exits at once, so its sleep is re-parented away from our tree and survives the
        // kill while holding stdout: the handler must still return.
        var handler = new ShellHandler(pipeDrainGrace: TimeSpan.FromMilliseconds(200));
        var bgPid = _temp.File("bg.pid");
        var spec = new ShellSpec($"( sleep 30 & echo $! > {bgPid} ); sleep 60");
        using var cts = new CancellationTokenSource();
        try
        {
            var running = handler.ExecuteAsync(Invocations.For(spec, cancellationToken: cts.Token));
            await ProcessProbe.ReadPidFile(bgPid, HardTimeout);
            var watch = Stopwatch.StartNew();
            await cts.CancelAsync();
            var outcome = await running.WithHardTimeout(HardTimeout);

            Assert.Equal(TaskOutcomeStatus.Cancelled, outcome.Status);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed} to cancel");
        }
        finally
        {
            KillStray(bgPid);
        }
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyCancelled_DoesNotStartTheProcess()
    {
        var marker = _temp.File("started");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var outcome = await _handler.ExecuteAsync(Invocations.For(new ShellSpec($"touch {marker}"), cancellationToken: cts.Token))
            .WithHardTimeout(HardTimeout);

        Assert.Equal(TaskOutcomeStatus.Cancelled, outcome.Status);
        Assert.False(File.Exists(marker));
    }

    /// <summary>Ends the one process this test deliberately left behind, by its PID.</summary>
    private static void KillStray(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
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
