namespace Weft.Storage;

/// <summary>The engine that runs a run (its <see cref="Name"/>, see <see cref="WeftEngine.OwnerName"/>)
/// and until when it holds the run: it renews the lease while it lives, and another process takes
/// the run up only once the lease has ended, so no two processes run the same tasks.</summary>
public sealed record RunOwner(string Name, DateTimeOffset LeaseUntil);
