using Weft.Scheduling;

namespace Weft.Coordination;

/// <summary>A distributed dispatcher's side of <see cref="Scheduler.OutstandingLimit"/>: its dispatch loop stops
/// handing over at the limit and waits; tasks that were ready all along do not wake it through the coordinator,
/// so returning outcomes must. Under the coordinator's gate, like the dispatcher's idle count it works with.</summary>
internal sealed class OutstandingWindow
{
    private bool _stopped;

    /// <summary>After a dispatch pass: whether it stopped at the limit.</summary>
    public void AfterDispatch(Scheduler scheduler) => _stopped = scheduler.AtOutstandingLimit;

    /// <summary>After outcomes came back: true (taking one of <paramref name="idle"/>) when the dispatch loop waits
    /// at the limit and may now hand over more; the caller then wakes it outside the gate.</summary>
    public bool TakeWake(Scheduler scheduler, ref int idle)
    {
        if (!_stopped || scheduler.AtOutstandingLimit || idle == 0)
        {
            return false;
        }

        _stopped = false;
        idle--;
        return true;
    }
}
