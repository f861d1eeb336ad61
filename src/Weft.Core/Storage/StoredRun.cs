namespace Weft.Storage;

/// <summary>A run as the store has it, enough to resume it: the exact definition it ran (by content
/// hash), its parameters in clear, and every task's recorded state and attempts.</summary>
public sealed record StoredRun(RunRecord Record, RunSnapshot Snapshot);
