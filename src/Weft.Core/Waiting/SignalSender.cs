using Weft.Storage;

namespace Weft.Waiting;

/// <summary>Records a signal for a run that this process does not hold (<c>weft runs signal --store</c>,
/// a server that is not the run's scheduler): the task's recorded state must be waiting, then the
/// signal is stored for the run's scheduler to take (<see cref="SignalInbox"/>).</summary>
internal static class SignalSender
{
    public static async ValueTask<TaskSignal> RecordAsync(IWeftStore store, TaskSignal signal, CancellationToken cancellationToken)
    {
        await CheckWaitingAsync(store, signal, cancellationToken).ConfigureAwait(false);
        return await store.AddSignalAsync(signal, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws <see cref="KeyNotFoundException"/> for an unknown run or task and
    /// <see cref="WeftTaskNotWaitingException"/> for a task that is not waiting.</summary>
    public static async ValueTask CheckWaitingAsync(IWeftStore store, TaskSignal signal, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(signal.RunId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no run with id '{signal.RunId}'");
        var task = run.Tasks.FirstOrDefault(t => string.Equals(t.TaskId, signal.TaskId, StringComparison.Ordinal))
            ?? throw new KeyNotFoundException(NoTask(signal, run.Tasks.Select(t => t.TaskId)));
        if (task.State != TaskState.Waiting)
        {
            throw new WeftTaskNotWaitingException(signal.RunId, signal.TaskId, task.State);
        }

        if (task.Kind == "workflow")
        {
            throw WeftTaskNotWaitingException.ForChild(signal.RunId, signal.TaskId, task.WaitReason);
        }
    }

    public static string NoTask(TaskSignal signal, IEnumerable<string> ids)
    {
        var waiting = ids.ToList();
        return $"run '{signal.RunId}' has no task '{signal.TaskId}'{Definitions.Suggestions.Hint(signal.TaskId, waiting)}";
    }
}
