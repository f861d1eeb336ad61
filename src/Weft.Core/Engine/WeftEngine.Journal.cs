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

    /// <summary>The last error the store gave the journal writer, while it keeps retrying; null when healthy.</summary>
    public string? StoreError { get; private set; }

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

            if (batch.Count > 0)
            {
                await WriteUntilStoredAsync(batch).ConfigureAwait(false);
                DequeuesStored(batch);
                batch.Clear();
                _spareJournal = batch;
            }

            Complete(finished);
            finished.Clear();
        }
    }

    // A store that fails (disk full, database restarting) is retried with growing pauses: the
    // batch is kept, so nothing the engine did is lost, and runs wait to be reported finished.
    private async Task WriteUntilStoredAsync(List<StoreChange> batch)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await _store.WriteAsync(batch).ConfigureAwait(false);
                StoreError = null;
                return;
            }
            catch (Exception ex) when (!_abandonWrites)
            {
                StoreError = ex.Message;
                await Task.Delay(pause, _time).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private volatile bool _workersDone;
    private volatile bool _abandonWrites;
}
