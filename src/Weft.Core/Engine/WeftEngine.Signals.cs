using Weft.Coordination;
using Weft.Waiting;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Sends a signal to a waiting task (<c>wait: { signal }</c>, or any wait to end it early):
    /// it succeeds with <see cref="TaskSignal.Data"/> as its output, or fails when the signal rejects.
    /// On a durable store the signal is recorded first, with its time and origin; a run this engine
    /// holds takes it at once, a run another process holds within about
    /// <see cref="WeftOptions.SignalPollInterval"/>. Returns the signal as recorded.</summary>
    /// <exception cref="KeyNotFoundException">No such run, or the run has no such task.</exception>
    /// <exception cref="WeftTaskNotWaitingException">The task is not waiting (its state is named).</exception>
    public async ValueTask<TaskSignal> SignalAsync(TaskSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ThrowIfStopping();
        if (signal.SentAt == default)
        {
            signal = signal with { SentAt = _time.GetUtcNow() };
        }

        var live = CheckLive(signal);
        var recorded = signal;
        if (!live)
        {
            // Not a run of this engine: the store says whether the task waits, and its scheduler takes it.
            return await SignalSender.RecordAsync(_store, signal, cancellationToken).ConfigureAwait(false);
        }

        if (_store.IsDurable)
        {
            recorded = await _store.AddSignalAsync(signal, cancellationToken).ConfigureAwait(false);
        }

        string? problem = null;
        var state = TaskState.Waiting;
        FollowUp follow;
        lock (_coord.Gate)
        {
            if (_coord.Runs.TryGetValue(signal.RunId, out var run) && run.Plan.IndexOf.TryGetValue(signal.TaskId, out var task))
            {
                problem = _coord.Scheduler.Signal(run, task, recorded);
                state = run.Slots[task].State;
            }

            follow = _coord.TakeFollowUp();
        }

        _coord.Apply(follow);
        return problem is null ? recorded : throw new WeftTaskNotWaitingException(signal.RunId, signal.TaskId, state);
    }

    // True when this engine holds the run live (then the task must exist and wait); false when not.
    private bool CheckLive(TaskSignal signal)
    {
        lock (_coord.Gate)
        {
            if (!_coord.Runs.TryGetValue(signal.RunId, out var run) || run.State.IsFinal())
            {
                return false;
            }

            if (!run.Plan.IndexOf.TryGetValue(signal.TaskId, out var task))
            {
                throw new KeyNotFoundException(SignalSender.NoTask(signal, run.Plan.TaskIds));
            }

            var state = run.Slots[task].State;
            if (state == TaskState.Waiting && run.Children?.ContainsKey(task) == true)
            {
                throw WeftTaskNotWaitingException.ForChild(signal.RunId, signal.TaskId, run.Slots[task].WaitReason);
            }

            return state == TaskState.Waiting ? true : throw new WeftTaskNotWaitingException(signal.RunId, signal.TaskId, state);
        }
    }
}
