using Weft.Cluster;
using Weft.Execution;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Postgres;

/// <summary>Queue changes and completions the PostgreSQL tests share.</summary>
internal static class PgSamples
{
    public static StoreChange Enqueue(string runId, string taskId, int attempt = 1, string queue = "default", string? payload = null) =>
        new() { Kind = StoreChangeKind.Enqueue, RunId = runId, TaskId = taskId, Attempt = attempt, Queue = queue, Payload = payload };

    public static StoreChange Dequeue(string runId, long id) => new() { Kind = StoreChangeKind.Dequeue, RunId = runId, QueueId = id };

    public static StoreChange CancelQueued(string runId) => new() { Kind = StoreChangeKind.CancelQueued, RunId = runId };

    public static TaskCompletion Completion(QueuedTask task, string worker, string output = "done") => new()
    {
        Id = task.Id,
        RunId = task.RunId,
        TaskId = task.TaskId,
        Attempt = task.Attempt,
        Worker = worker,
        Outcome = new TaskOutcome(TaskOutcomeStatus.Succeeded) { Output = output, ExitCode = 0, Stderr = "err " + output },
        StartedAt = T0,
        FinishedAt = T0.AddSeconds(1),
    };

    /// <summary>Run <paramref name="runId"/> with <paramref name="tasks"/> queued rows t0..tN-1.</summary>
    public static async Task EnqueueRunAsync(IWeftStore store, string runId, int tasks, string queue = "default")
    {
        await store.CreateRunAsync(Run(runId, T0));
        await store.WriteAsync([.. Enumerable.Range(0, tasks).Select(i => Enqueue(runId, "t" + i, queue: queue))]);
    }
}
