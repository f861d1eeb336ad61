using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Storage.Tests.Mapping;

/// <summary>A map task on a cluster: the scheduler expands it and queues each instance (<c>each[3]</c>)
/// with its item and index in the payload; workers find the map task's definition, render and run it,
/// and one instance's retry is a new queue row of that instance alone.</summary>
public abstract class ClusterMapTests : IAsyncLifetime
{
    private static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(30);

    private static readonly WorkflowDefinition Flow = new("fan",
    [
        new TaskDefinition("list", new CustomSpec("step", JsonValue.Create("""[{"f":"a"},{"f":"b"},{"f":"c"},{"f":"d"},{"f":"e"}]"""))),
        new TaskDefinition("each", new CustomSpec("step", JsonValue.Create("{{ index }}={{ item.f }}")))
        {
            DependsOn = ["list"],
            Map = new MapSpec("{{ tasks.list.output }}") { MaxParallel = 2 },
            Retry = new RetryPolicy { Strategy = RetryStrategy.Immediate, MaxAttempts = 2 },
        },
        new TaskDefinition("report", new CustomSpec("step", JsonValue.Create("converted: {{ tasks.each.output }}"))) { DependsOn = ["each"] },
    ]);

    private readonly StepHandler _steps = new();

    protected IClusterStore Store { get; private set; } = null!;

    protected abstract Task<IClusterStore> CreateStoreAsync();

    /// <summary>A second connection to the same store, as a worker process has.</summary>
    protected abstract Task<IClusterStore> OpenPeerAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task AMapRunsOnTheWorkers_InstancesRetriedAlone_DownstreamSeesTheOutputsInOrder()
    {
        await using var scheduler = WeftEngine.Create(o =>
        {
            o.Store = Store;
            o.Cluster.Schedule = true;
            o.Retention = null;
        });
        await using var w1 = await StartWorkerAsync("w1");
        await using var w2 = await StartWorkerAsync("w2");

        var run = await (await scheduler.SubmitAsync(Flow)).WaitAsync().WaitAsync(HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("""["0=a","1=b","2=c","3=d","4=e"]""", run.Tasks.Single(t => t.TaskId == "each").Output);
        Assert.Equal("""converted: ["0=a","1=b","2=c","3=d","4=e"]""", run.Tasks.Single(t => t.TaskId == "report").Output);
        var flaky = run.Tasks.Single(t => t.TaskId == "each[2]");
        Assert.Equal(2, flaky.Attempts);
        Assert.Equal(TaskOutcomeStatus.Failed, flaky.AttemptHistory[0].Outcome);
        Assert.All(run.Tasks.Where(t => t.TaskId.StartsWith("each[", StringComparison.Ordinal)), t =>
            Assert.Contains(t.AttemptHistory[^1].Worker, new[] { "w1", "w2" }));
        Assert.InRange(_steps.MaxConcurrentInstances, 1, 2);

        var stored = await Store.GetRunAsync(run.RunId);
        Assert.Equal(["list", "each", "report", "each[0]", "each[1]", "each[2]", "each[3]", "each[4]"], stored!.Tasks.Select(t => t.TaskId));
        Assert.Equal(RunState.Succeeded, stored.State);
    }

    private async Task<ClusterWorker> StartWorkerAsync(string name)
    {
        var options = new ClusterWorkerOptions { Name = name, Slots = 3, PollEvery = TimeSpan.FromMilliseconds(200) };
        options.Handlers.Add(_steps);
        return await ClusterWorker.StartAsync(await OpenPeerAsync(), options);
    }

    /// <summary>Kind "step": renders its text; the first attempt of <c>each[2]</c> fails. Counts instances
    /// inside it at once, across workers.</summary>
    private sealed class StepHandler : ITaskHandler
    {
        private readonly ConcurrentDictionary<string, int> _attempts = new();
        private int _instances;
        private int _max;

        public string Kind => "step";

        public int MaxConcurrentInstances => Volatile.Read(ref _max);

        public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
        {
            var instance = invocation.TaskId.StartsWith("each[", StringComparison.Ordinal);
            if (instance)
            {
                var now = Interlocked.Increment(ref _instances);
                int seen;
                while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
                {
                }
            }

            try
            {
                await Task.Yield();
                if (_attempts.AddOrUpdate(invocation.TaskId, 1, (_, n) => n + 1) == 1 && invocation.TaskId == "each[2]")
                {
                    return TaskOutcome.Failed("flaky");
                }

                return TaskOutcome.Succeeded(invocation.Render(((CustomSpec)invocation.Spec).Value!.GetValue<string>()));
            }
            finally
            {
                if (instance)
                {
                    Interlocked.Decrement(ref _instances);
                }
            }
        }
    }
}

public sealed class MemoryClusterMapTests : ClusterMapTests
{
    private MemoryClusterStore? _store;

    protected override Task<IClusterStore> CreateStoreAsync() => Task.FromResult<IClusterStore>(_store = new MemoryClusterStore());

    protected override Task<IClusterStore> OpenPeerAsync() => Task.FromResult<IClusterStore>(_store!.OpenPeer());
}

public sealed class PostgresClusterMapTests : ClusterMapTests
{
    private readonly Postgres.PostgresSchema _schema = new();

    protected override async Task<IClusterStore> CreateStoreAsync() => await _schema.OpenAsync();

    protected override async Task<IClusterStore> OpenPeerAsync() => await _schema.OpenAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _schema.DisposeAsync();
    }
}
