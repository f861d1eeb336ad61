using Weft.Cluster;
using Weft.Execution;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ClusterScheduling;

/// <summary>Plays a worker process by hand against a cluster store: claims queue rows and records
/// outcomes, so tests decide exactly what each attempt does and when.</summary>
internal sealed class ManualWorker(IClusterStore store, string name = "w1")
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public string Name => name;

    /// <summary>Claims until at least <paramref name="count"/> rows are held (the scheduler dispatches
    /// asynchronously), or fails after the harness's hard limit.</summary>
    public async Task<List<QueuedTask>> ClaimAsync(int count, TimeSpan? lease = null, IReadOnlyList<string>? queues = null)
    {
        var held = new List<QueuedTask>();
        await EngineHarness.WaitUntilAsync(async () =>
        {
            held.AddRange(await store.ClaimAsync(name, queues ?? ["default"], count - held.Count, lease ?? Lease));
            return held.Count >= count;
        });
        return held;
    }

    public ValueTask CompleteAsync(QueuedTask row, TaskOutcome outcome) =>
        store.CompleteAsync([Completion(row, outcome)]);

    public ValueTask CompleteAllAsync(IEnumerable<QueuedTask> rows, Func<QueuedTask, TaskOutcome>? outcome = null) =>
        store.CompleteAsync([.. rows.Select(r => Completion(r, outcome?.Invoke(r) ?? TaskOutcome.Succeeded($"out-{r.TaskId}")))]);

    private TaskCompletion Completion(QueuedTask row, TaskOutcome outcome) => new()
    {
        Id = row.Id,
        RunId = row.RunId,
        TaskId = row.TaskId,
        Attempt = row.Attempt,
        Worker = name,
        Outcome = outcome,
        StartedAt = DateTimeOffset.UtcNow,
        FinishedAt = DateTimeOffset.UtcNow,
    };
}
