using System.Diagnostics;

namespace Weft.WorkerPool;

/// <summary>Slots take the engine lock in turns: a slot that held it last waits, briefly, for a slot
/// already waiting at it to have its turn. The lock itself is not fair: a slot that runs its held
/// tasks in a microsecond and comes straight back would take it again and again while the other slot,
/// asleep in the lock's wait, wakes each time to find it taken, so one slot ran nearly every task of a
/// short burst of tiny tasks (W1) while the other starved.</summary>
internal sealed class GateTurns
{
    /// <summary>How long a slot spins for the lock before it sleeps in it (see <see cref="SpinEnter"/>).</summary>
    private static readonly long SpinLimit = Stopwatch.Frequency / 20_000; // 50 µs

    /// <summary>How long a slot waits for another one's turn at the lock before taking it anyway.</summary>
    private static readonly long TurnPatience = Stopwatch.Frequency / 5000; // 200 µs

    private int _atGate;
    private long _turns;

    /// <summary>Before waiting for the lock: gives a slot already waiting there its turn first.</summary>
    public void AwaitTurn(WorkerSlot me)
    {
        if (Volatile.Read(ref _atGate) == 0 || Volatile.Read(ref _turns) != me.Turn)
        {
            return;
        }

        var spin = default(SpinWait);
        var since = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _turns) == me.Turn && Volatile.Read(ref _atGate) > 0
            && Stopwatch.GetTimestamp() - since < TurnPatience)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Tries to take the lock by spinning, up to <see cref="SpinLimit"/>, instead of sleeping in it at
    /// once: a slot holding tiny tasks ahead keeps it for tens of microseconds, and a slot that sleeps
    /// in the lock's wait is woken by the kernel well after it was freed (on the 2-core machine, two
    /// slots were slower than one for it). Only while the pool has no more slots than cores: a spinning
    /// slot must not take the core from the one holding the lock. True when it took the lock; false
    /// when the caller is to wait in it as usual.</summary>
    public static bool SpinEnter(Lock gate, int slots)
    {
        if (gate.TryEnter())
        {
            return true; // free: the clock is not read (a chain takes the lock once per task)
        }

        if (slots > Environment.ProcessorCount)
        {
            return false;
        }

        var since = Stopwatch.GetTimestamp();
        while (!gate.TryEnter())
        {
            if (Stopwatch.GetTimestamp() - since > SpinLimit)
            {
                return false;
            }

            Thread.SpinWait(20);
        }

        return true;
    }

    /// <summary>About to wait for the lock.</summary>
    public void Arrive() => Interlocked.Increment(ref _atGate);

    /// <summary>Has the lock: takes the next turn.</summary>
    public void Enter(WorkerSlot me)
    {
        Interlocked.Decrement(ref _atGate);
        me.Turn = ++_turns;
    }
}
