namespace Weft.Cluster;

/// <summary>How a cluster's run reads to a person: the store records a task <c>running</c> from the
/// moment its queue row is written (so a lost scheduler can adopt it), but until a worker claims the
/// row nothing runs it. Views show such a task <c>queued</c>, waiting for a worker on its queue.</summary>
public static class QueuedTaskStates
{
    /// <summary>The run with every running task whose queue row no worker holds shown as
    /// <see cref="TaskState.Queued"/> (with a <see cref="TaskSnapshot.WaitReason"/> naming the queue).</summary>
    public static async ValueTask<RunSnapshot> ApplyAsync(IClusterStore store, RunSnapshot run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Tasks.Any(t => t.State == TaskState.Running))
        {
            return run;
        }

        var unclaimed = new Dictionary<(string TaskId, int Attempt), string>();
        foreach (var row in await store.ListQueuedAsync(run.RunId, cancellationToken).ConfigureAwait(false))
        {
            if (row.Worker is null)
            {
                unclaimed[(row.TaskId, row.Attempt)] = row.Queue;
            }
        }

        if (unclaimed.Count == 0)
        {
            return run;
        }

        return run with
        {
            Tasks = [.. run.Tasks.Select(t => t.State == TaskState.Running && unclaimed.TryGetValue((t.TaskId, t.Attempts), out var queue)
                ? t with { State = TaskState.Queued, WaitReason = $"waiting for a worker on queue '{queue}'" }
                : t)],
        };
    }
}
