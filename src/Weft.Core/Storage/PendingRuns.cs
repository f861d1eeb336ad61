namespace Weft.Storage;

/// <summary>Run records waiting to be committed, for the durable stores. Submissions that arrive while a
/// commit is in flight share the next one, as the journal's changes do: a run is durable when its submit
/// returns, and without this each of ten thousand concurrent submits paid a commit of its own (an fsync on
/// SQLite; a pooled connection and a commit on PostgreSQL). The first submitter to find no commit pending
/// becomes the flusher and writes batches until none is left.</summary>
internal sealed class PendingRuns
{
    private readonly Lock _lock = new();
    private List<PendingRun> _queued = [];
    private bool _flushing;

    /// <summary>Queues <paramref name="run"/>; true when the caller must flush (no one else is).</summary>
    public bool Add(PendingRun run)
    {
        lock (_lock)
        {
            _queued.Add(run);
            if (_flushing)
            {
                return false;
            }

            _flushing = true;
            return true;
        }
    }

    /// <summary>The flusher's next batch; null (and the flusher's turn ends) when none is queued.</summary>
    public List<PendingRun>? TakeOrStop()
    {
        lock (_lock)
        {
            if (_queued.Count == 0)
            {
                _flushing = false;
                return null;
            }

            var batch = _queued;
            _queued = [];
            return batch;
        }
    }
}

/// <summary>One submitted run, encoded and ready to insert; <see cref="Done"/> completes once its commit
/// did (or with the reason it was not recorded).</summary>
internal sealed class PendingRun(RunRecord run, DefinitionCache.Encoded definition, string clearParams, byte[]? secrets, BlobFlags secretFlags)
{
    public RunRecord Run { get; } = run;

    public DefinitionCache.Encoded Definition { get; } = definition;

    public string ClearParams { get; } = clearParams;

    public byte[]? Secrets { get; } = secrets;

    public BlobFlags SecretFlags { get; } = secretFlags;

    /// <summary>Set with the batch's transaction when this run alone could not be inserted (its id exists).</summary>
    public Exception? Refused { get; set; }

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
