namespace Weft.Scheduling;

/// <summary>A ready task as the <see cref="ReadyQueue"/> holds it: the work item plus when it was
/// queued (UTC ticks, for aging) and a global sequence number (FIFO ties across buckets and heaps).
/// The rank and the deadline live in the bucket or the heap key, so the common entry stays small.</summary>
internal readonly record struct QueueEntry(WorkItem Item, long EnqueuedAt, long Sequence);
