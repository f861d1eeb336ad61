using Weft.Execution;
using Weft.WorkerPool;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>A slot's loop failed outside a handler (a bug, or an injected fault): its running task
    /// is reported failed so its retry policy decides, its queue goes to a replacement slot, and the
    /// crash is counted, published and raised. Nothing it held is lost.</summary>
    private void OnSlotCrashed(WorkerSlot me, Exception ex)
    {
        var message = $"worker slot {me.Number} crashed: {ex.GetType().Name}: {ex.Message}";
        PoolEvent? replaced = null;
        FollowUp follow;
        lock (_gate)
        {
            me.Busy = false;
            _slotCrashes++;
            if (me.HasCurrent)
            {
                me.HasCurrent = false;
                ReportSafely(() => _scheduler.Complete(me.Current.Item, TaskOutcome.Failed(message)));
            }

            while (me.DoneHead < me.DoneCount)
            {
                var i = me.DoneHead++;
                ReportSafely(() => _scheduler.Complete(me.DoneItems[i], me.DoneOutcomes[i]));
            }

            me.DoneHead = me.DoneCount = 0;
            RemoveSlot(me);
            var live = LiveSlots();

            // A slot that was told to retire is not replaced; what it held goes to a live slot.
            var heir = _stopping || _draining ? null
                : me.Retiring ? _slots.FirstOrDefault(s => !s.Retiring) ?? AddSlot()
                : AddSlot();
            var handed = 0;
            while (me.TakeAhead(out var queued) || me.TryTake(out queued))
            {
                if (heir is not null)
                {
                    heir.Push(queued);
                    handed++;
                }
                else
                {
                    ReportSafely(() => _scheduler.Interrupt(queued.Item, InterruptedByStop));
                }
            }

            if (heir is not null && !me.Retiring)
            {
                replaced = Record(_time.GetUtcNow(), live + 1, live + 1, $"{message}; replaced by slot {heir.Number}");
            }

            follow = TakeFollowUp();
            follow = follow with { Wake = follow.Wake + WakeFor(handed) };
        }

        Apply(follow);
        Publish(replaced);
        SlotCrashed?.Invoke(message);
        ReportWorkerCrash($"slot {me.Number}", message);
    }

    // The scheduler threw once already; reporting must not throw the crash handler out too.
    private static void ReportSafely(Action report)
    {
        try
        {
            report();
        }
        catch (Exception)
        {
            // Nothing better to do: the slot is gone either way, and the crash is already counted.
        }
    }
}
