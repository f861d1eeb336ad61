using Weft.Coordination;
using Weft.Services;
using Weft.Storage;

namespace Weft.Waiting;

/// <summary>Brings signals recorded in the store by other processes (<c>weft runs signal --store</c>,
/// another server of the cluster) to the waiting tasks of the runs this engine holds: every
/// <see cref="WeftOptions.SignalPollInterval"/>, one read of the pending signals, only while this engine
/// holds unfinished work. Run-level commands (<c>weft runs pause</c> or <c>resume</c> through the store)
/// come the same way. A signal for a run another process holds is left for that process.</summary>
internal sealed class SignalInbox(Coordinator coordinator, IWeftStore store, WeftOptions options) : TimerService(options.TimeProvider)
{
    public override string Name => "signal inbox";

    protected override TimeSpan Period => options.SignalPollInterval;

    protected override bool Enabled => store.IsDurable;

    protected override async Task Tick()
    {
        // Only while this engine holds unfinished work: a task waits, or a run may be paused or resumed.
        if ((coordinator.Scheduler.WaitingCount == 0 && coordinator.Scheduler.Counters.Outstanding <= 0) || coordinator.Stopping)
        {
            return;
        }

        IReadOnlyList<TaskSignal> pending;
        try
        {
            pending = await store.PendingSignalsAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WeftStoreException or ObjectDisposedException or InvalidOperationException)
        {
            return; // the next tick tries again; a failing store is reported by the journal writer
        }

        if (pending.Count > 0)
        {
            coordinator.Step((coordinator.Runs, pending), static (scheduler, a) => Deliver(scheduler, a.pending, a.Runs));
        }
    }

    private static void Deliver(Scheduling.Scheduler scheduler, IReadOnlyList<TaskSignal> signals, Dictionary<string, Scheduling.RunExecution> runs)
    {
        foreach (var signal in signals)
        {
            if (!runs.TryGetValue(signal.RunId, out var run) || run.State.IsFinal())
            {
                continue; // another process's run (or one that ended): left for whoever holds it
            }

            if (signal.Control is not null)
            {
                scheduler.Control(run, signal);
            }
            else if (run.Plan.IndexOf.TryGetValue(signal.TaskId, out var task))
            {
                scheduler.Signal(run, task, signal);
            }
        }
    }
}
