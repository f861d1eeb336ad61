using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

public sealed partial class WeftEngine
{
    private readonly SemaphoreSlim _writerSignal = new(0);
    private readonly List<RunExecution> _announce = [];
    private List<StoreChange> _spareJournal = [];
    private bool _writerWaiting;
    private Task? _writer;
    private volatile WeftStoreException? _storeFailure;

    /// <summary>The last error the store gave the journal writer, while it keeps retrying; null when healthy.</summary>
    public string? StoreError { get; private set; }

    /// <summary>The store failure that made this engine stop recording (a full disk, a read-only or
    /// corrupt database: anything not <see cref="WeftStoreException.IsTransient"/>); null while the
    /// store works. From then on the engine records nothing, its unfinished runs fail their waiters
    /// with this exception (the store still has them unfinished, so a new engine can resume them once
    /// the store is fixed), and submitting or resuming throws it.</summary>
    public WeftStoreException? StoreFailure => _storeFailure;

    /// <summary>Commits to the durable store whatever the scheduler journaled while the previous
    /// commit was in flight (group commit: no timer, so an idle engine writes nothing and a busy
    /// one writes large batches), then completes the waiters of runs whose end is now recorded.</summary>
    private async Task JournalWriterLoopAsync()
    {
        var finished = new List<RunExecution>();
        while (true)
        {
            List<StoreChange> batch;
            lock (_gate)
            {
                var journal = _scheduler.Journal!;
                if (journal.Count == 0 && !_scheduler.HasFinished)
                {
                    if (_stopping && _workersDone)
                    {
                        return;
                    }

                    _writerWaiting = true;
                    batch = [];
                }
                else
                {
                    batch = journal;
                    _scheduler.Journal = _spareJournal;
                    _scheduler.DrainFinished(finished);
                }
            }

            if (batch.Count == 0 && finished.Count == 0)
            {
                await _writerSignal.WaitAsync().ConfigureAwait(false);
                continue;
            }

            // Once a batch is lost nothing later is written: later changes without it would not be a
            // past the engine went through, and resuming from the last committed batch is.
            if (batch.Count > 0 && _storeFailure is null && await WriteUntilStoredAsync(batch).ConfigureAwait(false))
            {
                DequeuesStored(batch);
            }

            batch.Clear();
            _spareJournal = batch;
            if (_storeFailure is { } failure)
            {
                FailUnrecorded(failure);
            }
            else
            {
                Complete(finished);
            }

            finished.Clear();
        }
    }

    // A store that is unreachable for now (a database restarting, a lock held elsewhere) is retried
    // with growing pauses: the batch is kept, so nothing the engine did is lost, and runs wait to be
    // reported finished. Any other failure (a full disk, a read-only or corrupt file) will not pass by
    // itself: the engine stops recording at once, so a caller learns it in seconds instead of waiting
    // forever. False when the batch was not stored.
    private async Task<bool> WriteUntilStoredAsync(List<StoreChange> batch)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await _store.WriteAsync(batch).ConfigureAwait(false);
                StoreError = null;
                return true;
            }
            catch (WeftStoreException ex) when (ex.IsTransient && !_abandonWrites)
            {
                StoreError = ex.Message;
                await Task.Delay(pause, _time).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
            catch (Exception ex)
            {
                var failure = ex as WeftStoreException ?? new WeftStoreException($"the store failed to record the engine's changes: {ex.Message}", ex);
                StoreError = failure.Message;
                _storeFailure = failure;
                return false;
            }
        }
    }

    // After the store failed: every run not yet reported finished fails its waiters and watchers with
    // the store's error and is cancelled in memory (its tasks stop, so the process can end), while the
    // store keeps it unfinished for a later resume. Runs submitted later are refused
    // (ThrowIfStopping); one that slipped in is caught here the next time it journals.
    private void FailUnrecorded(WeftStoreException failure)
    {
        List<RunExecution> failed;
        FollowUp follow;
        lock (_gate)
        {
            failed = [.. _runs.Values.Where(r => !r.Completion.Task.IsCompleted)];
            foreach (var run in failed)
            {
                run.FailWatchers(failure);
                _scheduler.Cancel(run);
            }

            follow = TakeFollowUp();
        }

        Apply(follow);
        foreach (var run in failed)
        {
            run.Completion.TrySetException(failure);
            try
            {
                run.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run released its token source: nothing of it runs any more.
            }
        }
    }

    private volatile bool _workersDone;
    private volatile bool _abandonWrites;
}
