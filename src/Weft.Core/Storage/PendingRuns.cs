namespace Weft.Storage;

/// <summary>Run records waiting to be committed, for the durable stores. Submissions that arrive while a
/// commit is in flight share the next one, as the journal's changes do: a run is durable when its submit
/// returns, and without this each of ten thousand concurrent submits paid a commit of its own (an fsync on
/// SQLite; a pooled connection and a commit on PostgreSQL). The first submitter to find no commit pending
/// becomes the flusher and writes batches until none is left; a store supplies only the batch's write.</summary>
internal sealed class PendingRuns
{
    private readonly Lock _lock = new();
    private List<PendingRun> _queued = [];
    private bool _flushing;

    /// <summary>Queues <paramref name="run"/> and returns once the batch holding it is committed (or throws
    /// why it was not recorded). <paramref name="write"/> writes one batch in one transaction and leaves
    /// <see cref="PendingRun.Refused"/> set on each run that alone could not be inserted, null on the others.</summary>
    public async Task SubmitAsync(PendingRun run, Func<List<PendingRun>, Task> write)
    {
        if (Add(run))
        {
            await FlushAsync(write).ConfigureAwait(false);
        }

        await run.Done.Task.ConfigureAwait(false);
    }

    // True when the caller must flush (no one else is).
    private bool Add(PendingRun run)
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

    // The flusher's next batch; null (and the flusher's turn ends) when none is queued.
    private List<PendingRun>? TakeOrStop()
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

    // One transaction per batch of queued runs, until none is left.
    private async Task FlushAsync(Func<List<PendingRun>, Task> write)
    {
        // Commit on another thread: a caller submitting in a loop queues its next runs meanwhile (the
        // store is usually free, and the whole commit would otherwise run inside this first call).
        await Task.Yield();
        while (TakeOrStop() is { } batch)
        {
            try
            {
                await write(batch).ConfigureAwait(false);
                foreach (var pending in batch)
                {
                    if (pending.Refused is { } refused)
                    {
                        pending.Done.TrySetException(refused);
                    }
                    else
                    {
                        pending.Done.TrySetResult();
                    }
                }
            }
            catch (Exception e)
            {
                // The transaction failed as a whole: none of the batch is recorded.
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }
}

/// <summary>One submitted run, encoded and ready to insert; <see cref="Done"/> completes once its commit
/// did (or with the reason it was not recorded).</summary>
internal sealed class PendingRun(RunRecord run, DefinitionCache.Encoded definition, string clearParams, byte[]? secrets, BlobFlags secretFlags)
{
    /// <summary>Encodes <paramref name="run"/> as a store writes it: its definition (by content hash), its
    /// parameters in the clear, and its secret ones sealed by <paramref name="codec"/>.</summary>
    public static PendingRun Encode(RunRecord run, DefinitionCache definitions, BlobCodec codec)
    {
        var definition = definitions.Encode(run.Definition, codec);
        var (clear, secrets) = RunParams.Split(run.Definition, run.Params);
        byte[]? secretBlob = null;
        var secretFlags = BlobFlags.None;
        if (secrets.Count > 0)
        {
            secretBlob = codec.Encode(RunParams.ToJson(secrets), secret: true, out secretFlags);
        }

        return new PendingRun(run, definition, RunParams.ToJson(clear), secretBlob, secretFlags);
    }

    /// <summary>What the store's error messages call the batch: "record run ID" or "record N runs".</summary>
    public static string Describe(List<PendingRun> batch) =>
        batch.Count == 1 ? "record run " + batch[0].Run.RunId : $"record {batch.Count} runs";

    public RunRecord Run { get; } = run;

    public DefinitionCache.Encoded Definition { get; } = definition;

    public string ClearParams { get; } = clearParams;

    public byte[]? Secrets { get; } = secrets;

    public BlobFlags SecretFlags { get; } = secretFlags;

    /// <summary>Set with the batch's transaction when this run alone could not be inserted (its id exists).</summary>
    public Exception? Refused { get; set; }

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
