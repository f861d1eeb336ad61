using Weft.Execution;

namespace Weft.Cluster;

/// <summary>A claimed task on one of a <see cref="ClusterWorker"/>'s slots.</summary>
internal sealed class RunningTask(QueuedTask row)
{
    private readonly CancellationTokenSource _cancel = new();
    private volatile bool _interrupted;

    public QueuedTask Row { get; } = row;

    public CancellationToken Token => _cancel.Token;

    public Task Execution { get; set; } = Task.CompletedTask;

    /// <summary>True once it holds a slot (a prefetched task waits for one first).</summary>
    public volatile bool Started;

    /// <summary>Its run was cancelled: the handler is stopped and the attempt reports cancelled.</summary>
    public void Cancel() => _ = _cancel.CancelAsync();

    /// <summary>The worker is stopping: the handler is stopped and the attempt reports interrupted.</summary>
    public void Interrupt()
    {
        _interrupted = true;
        _ = _cancel.CancelAsync();
    }

    /// <summary>What to record: an attempt cut short by the worker stopping is interrupted, not failed or cancelled.</summary>
    public TaskOutcome Recorded(TaskOutcome outcome) =>
        _interrupted && !outcome.IsSuccess ? outcome with { Status = TaskOutcomeStatus.Interrupted, Error = "worker stopping" } : outcome;
}
