namespace Weft.Cluster;

/// <summary>The heartbeat loop: renews the leases of every task the worker holds (running, or finished
/// with the outcome not yet written) and stops the tasks whose run was cancelled.</summary>
public sealed partial class ClusterWorker
{
    private async Task HeartbeatLoopAsync()
    {
        var stop = _stopHeartbeat.Token;
        var retry = new StoreRetry($"worker '{Name}' heartbeat", _time, _log);
        var wait = _heartbeatEvery;
        while (true)
        {
            try
            {
                await Task.Delay(wait, _time, stop).ConfigureAwait(false);
                IReadOnlyList<long> cancelled;
                try
                {
                    cancelled = await _store.HeartbeatAsync(Name, _leaseFor, stop).ConfigureAwait(false);
                    retry.Succeeded();
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    // Retry soon: the leases run out LeaseFor after the last heartbeat that got through.
                    await retry.FailedAsync(ex, stop).ConfigureAwait(false);
                    wait = TimeSpan.Zero;
                    continue;
                }

                wait = _heartbeatEvery;
                foreach (var id in cancelled)
                {
                    if (_running.TryGetValue(id, out var task))
                    {
                        task.Cancel();
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
