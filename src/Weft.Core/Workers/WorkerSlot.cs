using Weft.Execution;
using Weft.Scheduling;

namespace Weft.WorkerPool;

/// <summary>One worker slot: its own queue of started tasks (pushed by the scheduler's dispatch under
/// the engine lock, drained by the slot and stolen by idle slots under the slot's own small lock),
/// the tasks it holds ahead for itself (no lock at all: only the slot touches them), and the
/// outcomes it has not yet reported to the scheduler.</summary>
internal sealed class WorkerSlot(int number, int reportBatch, int aheadCapacity)
{
    /// <summary>How much work, at the slot's recent pace, it holds ahead of the task it runs: a task
    /// held ahead waits about this long for the ones before it. Long enough that a slot running tiny
    /// tasks takes the engine lock once per hundreds of them (each visit hands the lock's cache lines
    /// from one core to the other); slower tasks are held <see cref="MinAhead"/> at a time, as before.</summary>
    public static readonly long AheadBudget = System.Diagnostics.Stopwatch.Frequency / 10_000; // 100 µs

    private readonly Lock _lock = new();
    private readonly Queue<ClaimedTask> _queue = new();
    private volatile int _count;
    private ClaimedTask[] _ahead = [];
    private int _aheadHead;
    private int _aheadCount;

    public int Number { get; } = number;

    /// <summary>Tasks waiting in this slot's queue (read without the lock: a hint, exact under it).</summary>
    public int Count => _count;

    /// <summary>Running a task now.</summary>
    public volatile bool Busy;

    /// <summary>Waiting for work, with every outcome reported (set under the engine lock as it parks,
    /// cleared as it wakes). Only such a slot is handed a task by another: one that has just finished
    /// must first report, since its outcome may make a more urgent task ready.</summary>
    public volatile bool Parked;

    /// <summary>Told to go: takes no new task, exits once its queue is empty.</summary>
    public volatile bool Retiring;

    /// <summary>Attempts in a row, up to the last, that completed synchronously (reset by one that did not).</summary>
    public volatile int InlineStreak;

    /// <summary>After this many synchronous attempts in a row a slot is trusted to hold tasks ahead: one
    /// tiny task that happens to come first (a no-op start) must not make a slot hoard long ones.</summary>
    public const int HoldAheadAfter = 16;

    public bool RunsInline => InlineStreak >= HoldAheadAfter;

    /// <summary>Tasks a slot running synchronous tasks holds ahead at least (within the pool's capacity), as
    /// many as it held before its pace was measured: with more slots than cores, CPU tasks of milliseconds
    /// held one at a time put every slot's thread on the cores at once (MIXED's pools of 16 and 32 slots ran
    /// 3 % slower so).</summary>
    public const int MinAhead = 8;

    // The least it holds, and what it holds before its pace is known.
    private readonly int _aheadFloor = FloorOf(aheadCapacity);

    /// <summary>Tasks it may hold ahead now, <see cref="MinAhead"/> to the pool's capacity (<see cref="Paced"/> sets it).</summary>
    public int AheadLimit { get; private set; } = FloorOf(aheadCapacity);

    private static int FloorOf(int capacity) => Math.Min(MinAhead, capacity);

    private long _leftGateAt;
    private long _completedAtLeave;

    /// <summary>Whether the interval since it left the lock is being timed (it left holding tasks ahead).</summary>
    public bool Pacing => _leftGateAt != 0;

    /// <summary>Arriving at the engine lock: how long the tasks run since it left the lock took each
    /// sets how many it holds ahead next (<see cref="AheadBudget"/> of them, at least <see cref="MinAhead"/>).
    /// A slot that was kept from its core in between reads as slow and holds fewer; the visit after shows
    /// its real pace.</summary>
    public void Paced(long now)
    {
        var ran = Completed - _completedAtLeave;
        if (ran > 0 && _leftGateAt != 0)
        {
            var each = Math.Max(1, (now - _leftGateAt) / ran);
            AheadLimit = (int)Math.Clamp(AheadBudget / each, _aheadFloor, aheadCapacity);
        }
    }

    /// <summary>Leaving the engine lock holding tasks ahead: the start of the interval <see cref="Paced"/> measures.</summary>
    public void LeftGate(long now)
    {
        _leftGateAt = now;
        _completedAtLeave = Completed;
    }

    /// <summary>Leaving the engine lock with one task or none (a chain's next task): nothing to time, and
    /// the clock is not read (on a chain every task is a visit to the lock).</summary>
    public void LeftGateUntimed() => _leftGateAt = 0;

    /// <summary>Attempts this slot ran (only the slot writes it).</summary>
    public long Completed;

    /// <summary>Tasks this slot took from other slots' queues.</summary>
    public long Stolen;

    /// <summary>The attempt running now, for the crash handler to report.</summary>
    public ClaimedTask Current;
    public bool HasCurrent;

    /// <summary>Finished attempts not yet reported: <see cref="DoneHead"/>..<see cref="DoneCount"/>.</summary>
    public readonly WorkItem[] DoneItems = new WorkItem[reportBatch];
    public readonly TaskOutcome[] DoneOutcomes = new TaskOutcome[reportBatch];
    public int DoneHead;
    public int DoneCount;
    public long FirstDoneAt; // Environment.TickCount64 when outcomes started to be held; 0 when none are

    public Task Loop { get; set; } = Task.CompletedTask;

    /// <summary>The engine lock's turn this slot took last (see <c>AwaitTurn</c>).</summary>
    public long Turn;

    /// <summary>How many more tasks it takes now: one while parked, none otherwise (a task must not
    /// wait behind a long one, nor behind an outcome not yet reported). The slot asking the scheduler
    /// takes one, or up to <see cref="AheadLimit"/> ahead while it keeps running tasks that complete
    /// synchronously; slots do not fill each other's queues ahead (that would bounce them between cores).</summary>
    public int Room(bool asking) =>
        Retiring ? 0 : asking ? (RunsInline ? AheadLimit : Busy ? 0 : 1) - _count - Ahead : (Parked ? 1 : 0) - _count;

    /// <summary>Load for least-busy: queued plus running.</summary>
    public int Load => _count + (Busy ? 1 : 0);

    /// <summary>Tasks held ahead (only the slot itself may ask).</summary>
    public int Ahead => _aheadCount - _aheadHead;

    /// <summary>Holds a task ahead, for this slot only (called by the slot itself, at its dispatch).</summary>
    public void Hold(ClaimedTask task)
    {
        if (_aheadCount == _ahead.Length)
        {
            Array.Resize(ref _ahead, Math.Max(8, _ahead.Length * 2));
        }

        _ahead[_aheadCount++] = task;
    }

    /// <summary>The next task held ahead (called by the slot itself).</summary>
    public bool TakeAhead(out ClaimedTask task)
    {
        if (_aheadHead == _aheadCount)
        {
            task = default;
            return false;
        }

        task = _ahead[_aheadHead];
        _ahead[_aheadHead++] = default;
        if (_aheadHead == _aheadCount)
        {
            _aheadHead = _aheadCount = 0;
        }

        return true;
    }

    public void Push(ClaimedTask task)
    {
        lock (_lock)
        {
            _queue.Enqueue(task);
            _count = _queue.Count;
        }
    }

    public bool TryTake(out ClaimedTask task)
    {
        if (_count == 0)
        {
            task = default;
            return false;
        }

        lock (_lock)
        {
            var taken = _queue.TryDequeue(out task);
            _count = _queue.Count;
            return taken;
        }
    }

    /// <summary>Takes a task from the first other slot with one, starting after this slot's number
    /// so that thieves spread over their victims.</summary>
    public bool TrySteal(WorkerSlot[] slots, out ClaimedTask task)
    {
        for (var i = 1; i <= slots.Length; i++)
        {
            var victim = slots[(Number + i) % slots.Length];
            if (victim != this && victim.Count > 0 && victim.TryTake(out task))
            {
                Stolen++;
                return true;
            }
        }

        task = default;
        return false;
    }
}
