using System.Collections.Concurrent;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Storage.Tests.Fairness;

/// <summary>Two workers of 3 slots on one queue and 7 long tasks (the two <c>weft worker --slots
/// 3</c> and seven <c>sleep 2</c>): claiming ahead must not let one worker take all 7 while the other
/// idles. Both must run 3 at once, so the 7 take two rounds, not three. The tasks wait on a gate the
/// test opens, not on the clock.</summary>
public abstract class ClusterFairnessTests : IAsyncLifetime
{
    private static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(30);
    private readonly GateHandler _gate = new();
    private readonly List<ClusterWorker> _workers = [];

    protected IClusterStore Store { get; private set; } = null!;

    protected abstract Task<IClusterStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        _gate.Open();
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await Store.DisposeAsync();
    }

    [Fact]
    public async Task TwoWorkersOfThreeSlots_SevenLongTasks_BothRunThreeAtOnce()
    {
        var w1 = await StartWorkerAsync("w1");
        var w2 = await StartWorkerAsync("w2");

        var runId = await QueueAsync(7);
        await WaitUntilAsync(async () => _gate.Running == 6 || (await HeldAsync(runId)).Values.Sum() == 7);
        var held = await HeldAsync(runId);
        var running = _gate.Running;
        _gate.Open();
        await WaitUntilAsync(() => Task.FromResult(w1.Stats.Completed + w2.Stats.Completed == 7));

        Assert.Equal(6, running);
        Assert.Equal(3, held.GetValueOrDefault("w1"));
        Assert.Equal(3, held.GetValueOrDefault("w2"));
        Assert.True(w1.Stats.Claimed >= 3 && w2.Stats.Claimed >= 3, $"w1 claimed {w1.Stats.Claimed}, w2 {w2.Stats.Claimed}");
    }

    [Fact]
    public async Task AWorkerHoldingTasksBehindLongRunningSlots_GivesThemBackToAnIdleWorker()
    {
        // w1 has seen only instant tasks, so it claims ahead: all 7 long ones, 3 running, 4 waiting.
        var w1 = await StartWorkerAsync("w1", giveBackAfter: TimeSpan.FromMilliseconds(300));
        await QueueAsync(5, "quick");
        await WaitUntilAsync(() => Task.FromResult(w1.Stats.Completed == 5));
        var runId = await QueueAsync(7);
        await WaitUntilAsync(async () => _gate.Running == 3 && (await HeldAsync(runId)).GetValueOrDefault("w1") == 7);

        // w2 starts with free slots: the 4 waiting in w1's buffer go to it.
        var w2 = await StartWorkerAsync("w2", giveBackAfter: TimeSpan.FromMilliseconds(300));
        await WaitUntilAsync(() => Task.FromResult(_gate.Running == 6));
        var held = await HeldAsync(runId);
        _gate.Open();
        await WaitUntilAsync(() => Task.FromResult(w1.Stats.Completed + w2.Stats.Completed == 12));

        Assert.Equal(3, held.GetValueOrDefault("w2"));
        Assert.InRange(held.GetValueOrDefault("w1"), 3, 4);
        Assert.InRange(w2.Stats.Completed, 3, 4); // the seventh goes to whichever worker frees a slot first
        var rows = await Store.ListQueuedAsync(runId);
        Assert.All(rows, r => Assert.Equal(1, r.Attempt)); // given back as the same attempt, not a new one
    }

    private async Task<ClusterWorker> StartWorkerAsync(string name, TimeSpan? giveBackAfter = null)
    {
        var options = new ClusterWorkerOptions { Name = name, Slots = 3, PollEvery = TimeSpan.FromMilliseconds(200), GiveBackAfter = giveBackAfter ?? TimeSpan.FromSeconds(1) };
        options.Handlers.Add(_gate);
        var worker = await ClusterWorker.StartAsync(Store, options);
        _workers.Add(worker);
        return worker;
    }

    private async Task<string> QueueAsync(int count, string prefix = "t")
    {
        var runId = "fair-" + Guid.NewGuid().ToString("N")[..8];
        var tasks = Enumerable.Range(1, count).Select(i => new TaskDefinition($"{prefix}{i}", new CustomSpec(GateHandler.KindName, null))).ToList();
        await Store.CreateRunAsync(new RunRecord(runId, new WorkflowDefinition("fair", tasks), new Dictionary<string, string>(), DateTimeOffset.UtcNow));
        await Store.WriteAsync([.. tasks.Select(t => new StoreChange
        {
            Kind = StoreChangeKind.Enqueue,
            RunId = runId,
            TaskId = t.Id,
            Attempt = 1,
            Queue = "default",
        })]);
        await Store.SignalAsync(ClusterSignal.TasksQueued);
        return runId;
    }

    /// <summary>Rows each worker holds (claimed, running or waiting in its buffer), by worker.</summary>
    private async Task<Dictionary<string, int>> HeldAsync(string runId) =>
        (await Store.ListQueuedAsync(runId)).Where(t => t.Worker is not null).GroupBy(t => t.Worker!).ToDictionary(g => g.Key, g => g.Count());

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + HardLimit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met in time");
            await Task.Delay(10);
        }
    }

    /// <summary>Tasks of kind "gate" wait until the test opens the gate (or their token fires); those
    /// named "quick…" end at once.</summary>
    private sealed class GateHandler : ITaskHandler
    {
        public const string KindName = "gate";
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;

        public string Kind => KindName;

        public int Running => Volatile.Read(ref _running);

        public void Open() => _open.TrySetResult();

        public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
        {
            if (invocation.TaskId.StartsWith("quick", StringComparison.Ordinal))
            {
                return TaskOutcome.Succeeded();
            }

            Interlocked.Increment(ref _running);
            try
            {
                await _open.Task.WaitAsync(invocation.CancellationToken);
                return TaskOutcome.Succeeded();
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}

public sealed class MemoryClusterFairnessTests : ClusterFairnessTests
{
    protected override Task<IClusterStore> CreateStoreAsync() => Task.FromResult<IClusterStore>(new MemoryClusterStore());
}

public sealed class PostgresClusterFairnessTests : ClusterFairnessTests
{
    private readonly Postgres.PostgresSchema _schema = new();

    protected override async Task<IClusterStore> CreateStoreAsync() => await _schema.OpenAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _schema.DisposeAsync();
    }
}
