namespace Weft.Cluster;

/// <summary>The completion writer: outcomes are buffered and written in batches (group commit: whatever
/// accumulated while the previous write was in flight goes in the next, with no timer delay). A batch
/// the store refused stays until it is written.</summary>
public sealed partial class ClusterWorker
{
    private readonly Lock _completionGate = new();
    private readonly List<TaskCompletion> _buffer = [];
    private readonly AsyncSignal _completionAdded = new();
    private readonly CancellationTokenSource _flushWhenEmpty = new();
    private readonly CancellationTokenSource _abandonFlush = new();
    private Task _flushLoop = Task.CompletedTask;
    private long _completed;

    private void AddCompletion(TaskCompletion completion)
    {
        lock (_completionGate)
        {
            _buffer.Add(completion);
        }

        _completionAdded.Set();
    }

    private async Task FlushLoopAsync()
    {
        var retry = new StoreRetry($"worker '{Name}' complete", _time, _log);
        var batch = new List<TaskCompletion>();
        while (true)
        {
            lock (_completionGate)
            {
                batch.AddRange(_buffer);
                _buffer.Clear();
            }

            if (batch.Count == 0)
            {
                if (_flushWhenEmpty.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await _completionAdded.WaitAsync(_flushWhenEmpty.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: one more pass takes what is left.
                }

                continue;
            }

            try
            {
                await _store.CompleteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _completed, batch.Count);
                batch.Clear();
                retry.Succeeded();
            }
            catch (Exception ex)
            {
                try
                {
                    await retry.FailedAsync(ex, _abandonFlush.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _log?.Invoke($"worker '{Name}' gave up writing {batch.Count} outcome(s); the scheduler will run those tasks again once their leases expire");
                    return;
                }
            }
        }
    }

    /// <summary>Writes every buffered outcome, retrying until <paramref name="cancellationToken"/> gives up.</summary>
    private async Task FlushAllAsync(CancellationToken cancellationToken)
    {
        await using var giveUp = cancellationToken.Register(() => _abandonFlush.Cancel()).ConfigureAwait(false);
        await _flushWhenEmpty.CancelAsync().ConfigureAwait(false);
        await _flushLoop.ConfigureAwait(false);
    }
}
