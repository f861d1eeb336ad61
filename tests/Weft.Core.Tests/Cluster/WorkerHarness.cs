using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Storage;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Cluster;

/// <summary>A <see cref="ClusterWorker"/> over a <see cref="FlakyClusterStore"/> on a fake clock, with the
/// scheduler's side played by hand: runs created and tasks queued with store changes, outcomes read back
/// from the store. Waits are on conditions with a hard limit, never on time.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private int _runs;

    public WorkerHarness() => Store = new FlakyClusterStore(new MemoryClusterStore(Clock));

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FlakyClusterStore Store { get; }

    public ScriptedHandler Script { get; } = new();

    public ConcurrentQueue<string> Log { get; } = new();

    public ClusterWorker Worker { get; private set; } = null!;

    public async Task<ClusterWorker> StartAsync(Action<ClusterWorkerOptions>? configure = null)
    {
        var options = new ClusterWorkerOptions { Name = "w1", Slots = 4, TimeProvider = Clock, OnLog = Log.Enqueue };
        options.Handlers.Add(Script);
        configure?.Invoke(options);
        Worker = await ClusterWorker.StartAsync(Store, options);
        return Worker;
    }

    /// <summary>Records a run of <paramref name="tasks"/> and queues each (on its queue, with its payload).</summary>
    public async Task<string> QueueAsync(IReadOnlyList<TaskDefinition> tasks, Func<string, string>? queueOf = null, string? payload = null)
    {
        var runId = $"run{Interlocked.Increment(ref _runs)}";
        await Store.CreateRunAsync(new RunRecord(runId, new WorkflowDefinition("cluster-test", tasks), new Dictionary<string, string>(), Clock.GetUtcNow()));
        await Store.WriteAsync([.. tasks.Select(t => new StoreChange
        {
            Kind = StoreChangeKind.Enqueue,
            RunId = runId,
            TaskId = t.Id,
            Attempt = 1,
            Queue = queueOf?.Invoke(t.Id) ?? "default",
            Payload = payload,
        })]);
        return runId;
    }

    /// <summary>Waits until the store holds at least <paramref name="count"/> completions; returns them by task id.</summary>
    public async Task<Dictionary<string, TaskCompletion>> CompletionsAsync(int count)
    {
        IReadOnlyList<TaskCompletion> done = [];
        await EngineHarness.WaitUntilAsync(async () => (done = await Store.ReadCompletionsAsync(1000)).Count >= count);
        return done.ToDictionary(c => c.TaskId);
    }

    /// <summary>Advances the clock a step at a time until <paramref name="condition"/> holds (for loops
    /// whose timers are set at moments the test cannot see).</summary>
    public async Task AdvanceUntilAsync(Func<Task<bool>> condition, TimeSpan step)
    {
        await EngineHarness.WaitUntilAsync(async () =>
        {
            if (await condition())
            {
                return true;
            }

            Clock.Advance(step);
            await Task.Delay(1);
            return false;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }

        await Store.DisposeAsync();
    }
}
