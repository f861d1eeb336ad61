namespace Weft.Scheduling;

/// <summary>A ready task waiting for a slot: which run, which task.</summary>
internal readonly record struct WorkItem(RunExecution Run, int Task);
