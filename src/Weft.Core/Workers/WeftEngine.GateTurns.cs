using System.Diagnostics;
using Weft.WorkerPool;

namespace Weft;

public sealed partial class WeftEngine
{
    // Slots take the engine lock in turns: a slot that held it last waits, briefly, for a slot already
    // waiting at it to have its turn. The lock itself is not fair: a slot that runs its held tasks in
    // a microsecond and comes straight back would take it again and again while the other slot, asleep
    // in the lock's wait, wakes each time to find it taken, so one slot ran nearly every task of a
    // short burst of tiny tasks (W1) while the other starved.
    private int _slotsAtGate;
    private long _gateTurns;

    /// <summary>How long a slot waits for another one's turn at the lock before taking it anyway.</summary>
    private static readonly long TurnPatience = Stopwatch.Frequency / 5000; // 200 µs

    private void AwaitTurn(WorkerSlot me)
    {
        if (Volatile.Read(ref _slotsAtGate) == 0 || Volatile.Read(ref _gateTurns) != me.Turn)
        {
            return;
        }

        var spin = default(SpinWait);
        var since = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _gateTurns) == me.Turn && Volatile.Read(ref _slotsAtGate) > 0
            && Stopwatch.GetTimestamp() - since < TurnPatience)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
