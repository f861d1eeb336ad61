namespace Weft.Coordination;

/// <summary>What must happen after a locked step, outside the lock: runners to wake for ready work,
/// the journal writer to signal, finished runs to announce, submitters waiting for queue room.</summary>
internal readonly record struct FollowUp(int Wake, bool SignalWriter, bool Announce, TaskCompletionSource[]? QueueRoom = null);
