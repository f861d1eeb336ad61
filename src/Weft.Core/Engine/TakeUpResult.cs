using Weft.Storage;

namespace Weft;

/// <summary>What <see cref="WeftEngine.TakeUpOrphanedRunsAsync"/> did: the runs it took up, and the
/// unfinished runs it left to the live processes that own them.</summary>
public sealed record TakeUpResult(IReadOnlyList<string> TakenUp, IReadOnlyDictionary<string, RunOwner> LeftToOwners);
