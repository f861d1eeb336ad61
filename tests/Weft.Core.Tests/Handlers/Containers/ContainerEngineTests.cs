using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;
using Weft.Testing;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Handlers.Containers;

/// <summary>container: tasks in an embedded engine on a real podman: timeouts (on the engine's fake
/// clock) kill and remove the container, exit codes classify for retryOn as a shell task's, outputs
/// feed downstream templates, and memory/cpus reserve the scheduler's resources.</summary>
public sealed class ContainerEngineTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Timeout_KillsAndRemovesTheContainer_AndTheTaskTimesOut()
    {
        await using var engine = Engine();
        var handle = await engine.SubmitAsync(Parse("""
            tasks:
              hang:
                container: { image: IMAGE, command: [sleep, "300"], network: none, pull: never }
                timeout: 10s
            """));
        await WaitUntilAsync(() => ContainerInvocations.ContainersOf(handle.RunId).Count == 1);

        _clock.Advance(TimeSpan.FromSeconds(10));
        var run = await handle.WaitAsync().WaitAsync(Limit);

        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.Contains("timed out after 10s", run.Tasks[0].Error, StringComparison.Ordinal);
        Assert.Empty(ContainerInvocations.ContainersOf(handle.RunId));
    }

    [Fact]
    public async Task EngineStopping_KillsAndRemovesTheContainersItRuns()
    {
        var engine = Engine();
        string runId;
        try
        {
            var handle = await engine.SubmitAsync(Parse("""
                tasks:
                  hang: { container: { image: IMAGE, command: [sleep, "300"], network: none, pull: never } }
                """));
            runId = handle.RunId;
            await WaitUntilAsync(() => ContainerInvocations.ContainersOf(runId).Count == 1);
        }
        finally
        {
            await engine.DisposeAsync().AsTask().WaitAsync(Limit);
        }

        Assert.Empty(ContainerInvocations.ContainersOf(runId));
    }

    [Fact]
    public async Task ExitCodes_ClassifyForRetryOn_AsAShellTasksDo()
    {
        await using var engine = Engine();
        var handle = await engine.SubmitAsync(Parse("""
            tasks:
              retried:
                container: { image: IMAGE, command: [sh, -c, "echo no >&2; exit 3"], network: none, pull: never }
                retry: { maxAttempts: 2, strategy: immediate, retryOn: ["exit:3"] }
              notRetried:
                container: { image: IMAGE, command: [sh, -c, "exit 4"], network: none, pull: never }
                retry: { maxAttempts: 2, strategy: immediate, retryOn: ["exit:3"] }
              runtimeError:
                container: { image: localhost/weft-absent:1, pull: never }
                retry: { maxAttempts: 2, strategy: immediate, retryOn: [error] }
            """));
        var run = await handle.WaitAsync().WaitAsync(Limit);
        var tasks = run.Tasks.ToDictionary(t => t.TaskId);

        Assert.Equal((TaskState.Failed, 2, 3), (tasks["retried"].State, tasks["retried"].Attempts, tasks["retried"].ExitCode));
        Assert.Equal("exit code 3: no", tasks["retried"].Error);
        Assert.Equal((TaskState.Failed, 1, 4), (tasks["notRetried"].State, tasks["notRetried"].Attempts, tasks["notRetried"].ExitCode));
        Assert.Equal((TaskState.Failed, 2), (tasks["runtimeError"].State, tasks["runtimeError"].Attempts));
        Assert.Contains("image 'localhost/weft-absent:1' is not present locally", tasks["runtimeError"].Error, StringComparison.Ordinal);
        Assert.Empty(ContainerInvocations.ContainersOf(handle.RunId));
    }

    [Fact]
    public async Task Output_FeedsADownstreamTemplate()
    {
        await using var engine = Engine();
        var run = await (await engine.SubmitAsync(Parse("""
            tasks:
              count:
                container: { image: IMAGE, command: "echo 42", network: none, pull: never }
              report:
                container: { image: IMAGE, command: 'echo "counted {{ tasks.count.output }}"', network: none, pull: never }
                dependsOn: [count]
            """))).WaitAsync().WaitAsync(Limit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("counted 42", run.Tasks.Single(t => t.TaskId == "report").Output);
    }

    [Fact]
    public async Task CpusAndMemory_ReserveTheEnginesResources_WhenTheTaskDeclaresNone()
    {
        await using var engine = Engine(o => o.Resources["cpu"] = 2);

        // More than the engine has: refused at submit, as resources: would be.
        var ex = await Assert.ThrowsAsync<WeftConfigurationException>(async () => await engine.SubmitAsync(Parse("""
            tasks:
              big: { container: { image: IMAGE, cpus: 3, pull: never } }
            """)));
        Assert.Contains("task 'big' needs cpu: 3, but this engine has cpu: 2 in all", ex.Errors);

        // Two of 1.5 cpus each cannot run together on 2: the second waits for the first.
        var handle = await engine.SubmitAsync(Parse("""
            tasks:
              first: { container: { image: IMAGE, command: [sleep, "300"], cpus: 1.5, memory: 64Mi, network: none, pull: never }, timeout: 10s }
              second: { container: { image: IMAGE, command: [echo, done], cpus: 1.5, network: none, pull: never } }
            """));
        await WaitUntilAsync(() => ContainerInvocations.ContainersOf(handle.RunId).Count == 1);
        Assert.StartsWith("waiting for resources (cpu: 1.5 of 0.5 free)", handle.Snapshot().Tasks.Single(t => t.TaskId == "second").WaitReason, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(10));
        var run = await handle.WaitAsync().WaitAsync(Limit);
        Assert.Equal(TaskState.TimedOut, run.Tasks.Single(t => t.TaskId == "first").State);
        Assert.Equal("done", run.Tasks.Single(t => t.TaskId == "second").Output);
    }

    private WeftEngine Engine(Action<WeftOptions>? configure = null) => WeftEngine.Create(o =>
    {
        o.Workers = 2;
        o.TimeProvider = _clock;
        o.Containers.Runtime = Weft.Configuration.ContainerRuntime.Podman;
        o.Containers.Path = TestPodman.Program;
        configure?.Invoke(o);
    });

    private static WorkflowDefinition Parse(string tasks) =>
        WorkflowLoader.Parse("name: boxes\n" + tasks.Replace("IMAGE", TestPodman.Image, StringComparison.Ordinal), "boxes.yaml");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}
