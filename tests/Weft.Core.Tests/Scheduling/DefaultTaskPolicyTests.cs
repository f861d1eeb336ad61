using Weft.Definitions;
using Weft.Execution;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

/// <summary><see cref="WeftOptions.DefaultTaskTimeout"/> and <see cref="WeftOptions.DefaultRetry"/>
/// apply to tasks that set none, and only to those.</summary>
public sealed class DefaultTaskPolicyTests
{
    [Fact]
    public async Task DefaultTaskTimeout_TaskWithoutTimeout_TimesOutAfterTheDefault()
    {
        await using var h = new EngineHarness(2, o => o.DefaultTaskTimeout = TimeSpan.FromSeconds(30));
        h.Script.BlockUntilCancelled("hang");
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("hang")));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted && e.TaskId == "hang");
        await EngineHarness.WaitUntilAsync(() => h.Script.Running == 1);

        h.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(TaskState.Running, handle.Snapshot().Tasks[0].State);
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.Contains("timed out after 30s", run.Tasks[0].Error);
    }

    [Fact]
    public async Task DefaultTaskTimeout_TaskWithItsOwnTimeout_KeepsItsOwn()
    {
        await using var h = new EngineHarness(2, o => o.DefaultTaskTimeout = TimeSpan.FromSeconds(5));
        h.Script.BlockUntilCancelled("hang");
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("hang") with { Timeout = TimeSpan.FromSeconds(60) }));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted && e.TaskId == "hang");
        await EngineHarness.WaitUntilAsync(() => h.Script.Running == 1);

        h.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TaskState.Running, handle.Snapshot().Tasks[0].State);
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Contains("timed out after 1m", run.Tasks[0].Error);
    }

    [Fact]
    public async Task DefaultRetry_TaskWithoutRetry_IsRetriedByTheDefault()
    {
        await using var h = new EngineHarness(2, o => o.DefaultRetry = new RetryPolicy { Strategy = RetryStrategy.Immediate, MaxAttempts = 3 });
        h.Script.Outcomes("flaky", TaskOutcome.Failed("no"), TaskOutcome.Failed("no"), TaskOutcome.Succeeded("yes"));
        h.Script.Outcomes("once", TaskOutcome.Failed("no"), TaskOutcome.Succeeded("yes"));

        var run = await h.RunAsync(EngineHarness.Flow(Def("flaky"), Def("once") with { Retry = new RetryPolicy { MaxAttempts = 1 } }));

        Assert.Equal(TaskState.Succeeded, run.Tasks[0].State);
        Assert.Equal(3, run.Tasks[0].Attempts);
        Assert.Equal(TaskState.Failed, run.Tasks[1].State);
        Assert.Equal(1, run.Tasks[1].Attempts);
    }

    [Fact]
    public void Create_BadDefaults_NameTheOption()
    {
        var ex = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o =>
        {
            o.DefaultTaskTimeout = TimeSpan.Zero;
            o.DefaultRetry = new RetryPolicy { MaxAttempts = 0 };
        }));
        Assert.Contains(ex.Errors, e => e.StartsWith("DefaultTaskTimeout:", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("DefaultRetry.maxAttempts:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DefaultTaskTimeout_FromTheConfigurationFile_TimesOutATaskWithoutTimeout()
    {
        using var files = new Configuration.ConfigFiles();
        files.Write("weft.yaml", "defaultTaskTimeout: 45s\n");
        var configuration = Weft.Configuration.WeftConfiguration.Load(new() { WorkingDirectory = files.Directory, Environment = new System.Collections.Hashtable() });
        Assert.Empty(configuration.Errors);
        await using var h = new EngineHarness(2, configuration.ApplyTo);
        h.Script.BlockUntilCancelled("hang");
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("hang")));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted && e.TaskId == "hang");
        await EngineHarness.WaitUntilAsync(() => h.Script.Running == 1);

        h.Clock.Advance(TimeSpan.FromSeconds(45));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.Contains("timed out after 45s", run.Tasks[0].Error);
    }
}
