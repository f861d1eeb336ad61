using Weft.Storage;

namespace Weft;

/// <summary>What <see cref="WeftEngine.TakeUpOrphanedRunsAsync"/> did: the runs it took up, and the
/// unfinished runs it left to the live processes that own them, and those it could not take up with
/// the reason (a run whose stored record is at fault is marked failed as well).</summary>
public sealed record TakeUpResult(
    IReadOnlyList<string> TakenUp, IReadOnlyDictionary<string, RunOwner> LeftToOwners, IReadOnlyDictionary<string, string> NotTakenUp);
