namespace Weft;

/// <summary>How ready tasks of equal effective priority are ordered.</summary>
public enum QueueOrdering
{
    /// <summary>The task with the longest remaining path to the end of its run goes first (FIFO among
    /// equals), so the work that bounds a run's makespan is not left waiting behind short side work.</summary>
    CriticalPathFirst,

    /// <summary>First queued, first started.</summary>
    Fifo,
}
