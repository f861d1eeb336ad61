using Weft.Cluster;
using Weft.Definitions;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

// Cluster mode (DESIGN.md "Modes"): when the store is an IClusterStore, this engine is the cluster's
// scheduler and its dispatcher is the cluster's queue (Cluster/ClusterQueueDispatcher.cs): tasks run on
// worker processes. What is left here is the engine's public face of it.
public sealed partial class WeftEngine
{
    /// <summary>True when this engine schedules a cluster: its store is a cluster store and its tasks run on
    /// worker processes (through the store's queue or a transport).</summary>
    public bool IsClusterScheduler => _intake is not null;

    /// <summary>Called (on a background thread) for what the cluster scheduler wants an operator to see:
    /// workers lost, tasks quarantined, store errors.</summary>
    internal Action<string>? ClusterLog
    {
        get => _intake?.Log;
        set
        {
            if (_intake is not null)
            {
                _intake.Log = value;
            }

            if (_clusterQueue is not null)
            {
                _clusterQueue.Log = value;
            }
        }
    }

    /// <summary>Stops acting as the cluster's scheduler for a while (its leadership lapsed, e.g. while the
    /// database restarts) or again (<paramref name="suspended"/> false) once it leads again.</summary>
    internal void SuspendCluster(bool suspended)
    {
        _intake?.Suspend(suspended);
        _dispatcher.Suspend(suspended);
    }

    /// <summary>The worker processes that run this engine's tasks — a cluster's (registered in its store) or a
    /// transport's (e.g. NATS workers) — alive, lost or stopped; null when the tasks run on this engine's own slots.</summary>
    public ValueTask<IReadOnlyList<WorkerInfo>?> ListWorkersAsync(CancellationToken cancellationToken = default) =>
        _dispatcher.ListWorkersAsync(cancellationToken);

    /// <summary>Takes up every unfinished run recorded in the store that this engine does not have: what a
    /// scheduler does when it becomes the leader. Returns how many it took up.</summary>
    public async ValueTask<int> TakeUpUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        var taken = 0;
        foreach (var runId in await FindUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await ResumeAsync(runId, cancellationToken).ConfigureAwait(false);
                taken++;
            }
            catch (Exception ex) when (ex is WorkflowValidationException or WeftConfigurationException)
            {
                // It can never run here (e.g. a kind this scheduler does not know): say so in the record
                // rather than leave it pending for ever.
                var reason = ex is WeftConfigurationException c ? string.Join("; ", c.Errors) : ex.Message;
                ClusterLog?.Invoke($"run {runId} cannot be scheduled: {reason}");
                await RefuseStoredRunAsync(runId, reason, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ClusterLog?.Invoke($"could not take up run {runId}: {ex.Message}");
            }
        }

        return taken;
    }

    private async Task RefuseStoredRunAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        var stored = await _store.LoadRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var changes = new List<StoreChange>();
        foreach (var task in stored.Record.Definition.Tasks)
        {
            changes.Add(new StoreChange
            {
                Kind = StoreChangeKind.Task,
                RunId = runId,
                TaskId = task.Id,
                TaskState = TaskState.Failed,
                FinishedAt = now,
                Error = $"not run: the cluster's scheduler cannot run this workflow: {reason}",
            });
        }

        changes.Add(new StoreChange { Kind = StoreChangeKind.Run, RunId = runId, RunState = RunState.Failed, StartedAt = now, FinishedAt = now });
        await _store.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
    }
}
