using Weft.Scheduling;

namespace Weft.WorkerPool;

/// <summary>A task the scheduler has started (its attempt is numbered and journaled) and handed to a slot.</summary>
internal readonly record struct ClaimedTask(WorkItem Item, int Attempt);
