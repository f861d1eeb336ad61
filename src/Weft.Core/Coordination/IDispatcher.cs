using Weft.Scheduling;
using Weft.Services;
using Weft.Storage;

namespace Weft.Coordination;

/// <summary>How ready work reaches whoever runs it, and how outcomes come back: the local slot pool
/// (<see cref="WorkerPool.LocalSlotPool"/>) or a cluster's queue (<see cref="Cluster.ClusterQueueDispatcher"/>).
/// A dispatcher takes started tasks from the <see cref="Coordinator"/>'s scheduler and reports their
/// outcomes to it, each in a locked step of the coordinator; the coordinator knows no more of it than
/// this contract, so a new transport is a new implementation, not a change to the coordinator.
/// Members marked "under the gate" are called by the coordinator while it holds its lock.</summary>
internal interface IDispatcher : IEngineService
{
    /// <summary>Under the gate: how many idle runners to wake for <paramref name="ready"/> ready tasks
    /// (they count as woken from now on). A runner woken for nothing costs a context switch.</summary>
    int TakeIdle(int ready);

    /// <summary>Outside the gate: wakes <paramref name="count"/> runners taken by <see cref="TakeIdle"/>.</summary>
    void Wake(int count);

    /// <summary>Under the gate: the pool's picture for <see cref="WeftEngine.GetStatus"/>.</summary>
    PoolStatus Status();

    /// <summary>Under the gate, as a graceful stop begins: tasks handed out but not started are
    /// given back as interrupted; returns what must finish before the stop goes on.</summary>
    Task BeginDrain();

    /// <summary>Which running tasks of a run being taken up from the store still have their attempt
    /// out with a runner (adopted, not interrupted); null when attempts cannot outlive this process.</summary>
    ValueTask<Func<int, bool>?> AdoptionForAsync(RunExecution run, CancellationToken cancellationToken);

    /// <summary>After the journal writer committed <paramref name="batch"/> (outside the gate).</summary>
    void Committed(List<StoreChange> batch);

    /// <summary>A cluster scheduler's dispatcher stops handing out tasks and taking in outcomes while its
    /// leadership has lapsed (<paramref name="suspended"/> true), and goes on once it leads again. Nothing to
    /// do for a dispatcher whose runners are this process's own.</summary>
    void Suspend(bool suspended)
    {
    }

    /// <summary>The worker processes that run this dispatcher's tasks, as their registry has them (a cluster
    /// store, a transport's); null when its runners are this process's own slots.</summary>
    ValueTask<IReadOnlyList<Cluster.WorkerInfo>?> ListWorkersAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Cluster.WorkerInfo>?>(null);
}
