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

    private const int Waiting = 0;
    private const int Running = 1;
    private const int GivingBack = 2;
    private const int GivenBack = 3;

    // Made only when a give-back begins: most tasks are never given back.
    private TaskCompletionSource? _decided;
    private int _state;

    /// <summary>When it was claimed (<see cref="TimeProvider.GetTimestamp"/> of the worker's clock).</summary>
    public long ClaimedAt { get; init; }

    /// <summary>True once it holds a slot (a prefetched task waits for one first).</summary>
    public bool Started => Volatile.Read(ref _state) == Running;

    public bool WasGivenBack => Volatile.Read(ref _state) == GivenBack;

    /// <summary>Called with a slot in hand: false while a give-back is being decided or after it.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Waiting) == Waiting;

    /// <summary>Completes when a pending give-back is decided either way.</summary>
    public Task Decided => Volatile.Read(ref _decided)?.Task ?? Task.CompletedTask;

    /// <summary>Reserves a waiting task for giving back: it cannot start until <see cref="EndGiveBack"/>.</summary>
    public bool TryBeginGiveBack()
    {
        Volatile.Write(ref _decided, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return Interlocked.CompareExchange(ref _state, GivingBack, Waiting) == Waiting;
    }

    /// <summary>The store took the task back (its token fires so its slot wait ends, and it ends with no
    /// outcome: the row is no longer this worker's), or did not (it waits for a slot again).</summary>
    public void EndGiveBack(bool givenBack)
    {
        Volatile.Write(ref _state, givenBack ? GivenBack : Waiting);
        if (givenBack)
        {
            _ = _cancel.CancelAsync();
        }

        Volatile.Read(ref _decided)?.TrySetResult();
    }

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
