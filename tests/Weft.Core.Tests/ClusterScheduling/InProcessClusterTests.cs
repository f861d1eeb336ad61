using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ClusterScheduling;

/// <summary>A scheduler and real workers (with the built-in handlers) sharing an in-process cluster
/// store: a whole run goes through the queue, templates included.</summary>
public sealed class InProcessClusterTests
{
    /// <summary>The cluster's scheduling engine over <paramref name="store"/> (its own slots run nothing).</summary>
    private static WeftEngine Scheduler(MemoryClusterStore store, TimeProvider? clock = null) =>
        ClusterSchedulers.Create(store, o => o.TimeProvider = clock ?? TimeProvider.System);

    [Fact]
    public async Task A_layered_graph_and_a_templated_shell_chain_run_to_the_end_on_two_workers()
    {
        var store = new MemoryClusterStore();
        await using var engine = Scheduler(store);
        await using var w1 = await ClusterWorker.StartAsync(store.OpenPeer(), new ClusterWorkerOptions { Name = "w1", Slots = 4 });
        await using var w2 = await ClusterWorker.StartAsync(store.OpenPeer(), new ClusterWorkerOptions { Name = "w2", Slots = 4 });

        var layered = new WorkflowBuilder("layers");
        for (var level = 0; level < 5; level++)
        {
            for (var i = 0; i < 20; i++)
            {
                var id = $"L{level}_{i}";
                var parents = level == 0 ? [] : new[] { $"L{level - 1}_{i}", $"L{level - 1}_{(i + 7) % 20}" };
                layered.Task(id, t => t.Noop().DependsOn(parents));
            }
        }

        var chain = new WorkflowBuilder("greet")
            .Param("name", "world")
            .Task("hello", t => t.Shell("echo hello {{ params.name }}"))
            .Task("shout", t => t.Shell("echo \"{{ tasks.hello.output }}\" | tr a-z A-Z").DependsOn("hello"))
            .Build();

        var a = await engine.SubmitAsync(layered.Build());
        var b = await engine.SubmitAsync(chain, new Dictionary<string, string> { ["name"] = "weft" });
        var layers = await a.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        var greet = await b.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, layers.State);
        Assert.All(layers.Tasks, t => Assert.Equal(1, t.Attempts));
        Assert.All(layers.Tasks, t => Assert.Contains(t.AttemptHistory.Single().Worker, new[] { "w1", "w2" })); // who ran it
        Assert.Equal(RunState.Succeeded, greet.State);
        Assert.Equal("HELLO WEFT", greet.Tasks.Single(t => t.TaskId == "shout").Output);
        Assert.Equal(102, w1.Stats.Completed + w2.Stats.Completed); // every task ran once, on one worker or the other
    }

    [Fact]
    public async Task A_kind_only_the_workers_know_is_accepted_by_the_scheduler_and_run_by_a_worker_with_its_hooks()
    {
        var store = new MemoryClusterStore();
        await using var engine = Scheduler(store);
        var hook = new CountingHook();
        var options = new ClusterWorkerOptions { Name = "w1", Slots = 2 };
        options.Handlers.Add(new GreeterHandler());
        options.Hooks.Add(hook);
        await using var worker = await ClusterWorker.StartAsync(store.OpenPeer(), options);
        var flow = Workflow.Create("plugin-kind")
            .Task("hi", t => t.Kind(new CustomSpec("greeter", System.Text.Json.Nodes.JsonValue.Create("weft"))))
            .Build();

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.DoesNotContain("greeter", engine.Kinds); // the scheduler has no handler for it
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("hello weft", run.Tasks.Single().Output);
        Assert.Equal(1, hook.Before);
        Assert.Equal(1, hook.After);
    }

    private sealed class GreeterHandler : ITaskHandler
    {
        public string Kind => "greeter";

        public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) =>
            ValueTask.FromResult(TaskOutcome.Succeeded($"hello {((CustomSpec)invocation.Spec).Value}"));
    }

    private sealed class CountingHook : ITaskHook
    {
        private int _before;
        private int _after;

        public int Before => Volatile.Read(ref _before);

        public int After => Volatile.Read(ref _after);

        public ValueTask BeforeAsync(TaskInvocation invocation)
        {
            Interlocked.Increment(ref _before);
            return ValueTask.CompletedTask;
        }

        public ValueTask AfterAsync(TaskInvocation invocation, TaskOutcome outcome)
        {
            Interlocked.Increment(ref _after);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_cached_task_runs_on_a_worker_once_and_the_next_run_is_served_from_the_cache()
    {
        var store = new MemoryClusterStore();
        await using var engine = Scheduler(store);
        await using var worker = await ClusterWorker.StartAsync(store.OpenPeer(), new ClusterWorkerOptions { Name = "w1", Slots = 2 });
        var flow = new WorkflowBuilder("cached")
            .Param("day", "monday")
            .Task("fetch", t => t.Shell("echo report for {{ params.day }}").Cache(new CachePolicy(TimeSpan.FromHours(1))))
            .Task("use", t => t.Shell("echo \"{{ tasks.fetch.output }}\"").DependsOn("fetch"))
            .Build();

        var first = await (await engine.SubmitAsync(flow, new Dictionary<string, string> { ["day"] = "monday" })).WaitAsync().WaitAsync(EngineHarness.HardLimit);
        var second = await (await engine.SubmitAsync(flow, new Dictionary<string, string> { ["day"] = "monday" })).WaitAsync().WaitAsync(EngineHarness.HardLimit);
        var otherDay = await (await engine.SubmitAsync(flow, new Dictionary<string, string> { ["day"] = "tuesday" })).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, first.State);
        Assert.Equal(TaskState.Succeeded, first.Tasks.Single(t => t.TaskId == "fetch").State);
        Assert.Equal(RunState.Succeeded, second.State);
        var hit = second.Tasks.Single(t => t.TaskId == "fetch");
        Assert.Equal(TaskState.Cached, hit.State);
        Assert.Equal("report for monday", hit.Output);
        Assert.Equal("report for monday", second.Tasks.Single(t => t.TaskId == "use").Output); // downstream sees the cached output
        Assert.Equal(TaskState.Succeeded, otherDay.Tasks.Single(t => t.TaskId == "fetch").State); // another spec, another key
        Assert.Equal("report for tuesday", otherDay.Tasks.Single(t => t.TaskId == "fetch").Output);
        Assert.Equal(5, worker.Stats.Completed); // fetch twice (monday, tuesday) and use three times: the hit never reached a worker
        Assert.Equal(1, engine.GetCacheStats().Hits);
    }

    [Fact]
    public async Task A_run_submitted_to_start_later_waits_for_its_time_on_the_cluster()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 1, 0, 0, TimeSpan.Zero));
        var store = new MemoryClusterStore();
        await using var engine = Scheduler(store, clock);
        await using var worker = await ClusterWorker.StartAsync(store.OpenPeer(), new ClusterWorkerOptions { Name = "w1", Slots = 2 });
        var client = new ClusterClient(store.OpenPeer(), clock);
        var flow = new WorkflowBuilder("nightly").Task("a", t => t.Noop()).Build();

        var runId = await client.SubmitAsync(flow, options: new SubmitOptions { NotBefore = clock.GetUtcNow().AddHours(1) });
        await EngineHarness.WaitUntilAsync(() => engine.GetRun(runId) is not null); // taken up by the scheduler

        Assert.Equal(RunState.Pending, engine.GetRun(runId)!.State);
        Assert.Equal(0, worker.Stats.Claimed);
        clock.Advance(TimeSpan.FromHours(1));
        await EngineHarness.WaitUntilAsync(() => engine.GetRun(runId)?.State == RunState.Succeeded);
        Assert.Equal(clock.GetUtcNow(), engine.GetRun(runId)!.StartedAt);
    }
}
