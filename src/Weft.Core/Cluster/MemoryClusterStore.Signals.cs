namespace Weft.Cluster;

/// <summary>Signals between handles: each handle listens like one process's LISTEN connection.
/// A signal reaches every handle (the raiser's too, as NOTIFY does); a handle wakes its waiters for
/// it, or, when none waits for it, keeps it pending so the next wait returns at once (coalesced).</summary>
public sealed partial class MemoryClusterStore
{
    private readonly List<(ClusterSignal Signals, TaskCompletionSource Woken)> _waiters = [];
    private ClusterSignal _pending;

    /// <inheritdoc />
    public async ValueTask<bool> WaitForSignalAsync(ClusterSignal signals, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var waiter = (signals, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_data.Gate)
        {
            if (_disposed)
            {
                return false;
            }

            if ((_pending & signals) != 0)
            {
                _pending &= ~signals;
                return true;
            }

            _waiters.Add(waiter);
        }

        try
        {
            await waiter.Item2.Task.WaitAsync(timeout, _data.Time, cancellationToken).ConfigureAwait(false);
            return !Volatile.Read(ref _disposed);
        }
        catch (TimeoutException)
        {
            // A signal that arrived as the wait timed out was taken for this waiter: report it.
            return waiter.Item2.Task.IsCompleted && !Volatile.Read(ref _disposed);
        }
        finally
        {
            lock (_data.Gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask SignalAsync(ClusterSignal signal, CancellationToken cancellationToken = default)
    {
        var woken = new List<TaskCompletionSource>();
        lock (_data.Gate)
        {
            foreach (var handle in _data.Handles)
            {
                handle.Deliver(signal, woken);
            }
        }

        foreach (var waiter in woken)
        {
            waiter.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    // Under the gate.
    private void Deliver(ClusterSignal signal, List<TaskCompletionSource> woken)
    {
        var delivered = ClusterSignal.None;
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var (signals, waiter) = _waiters[i];
            if ((signals & signal) != 0)
            {
                delivered |= signals & signal;
                woken.Add(waiter);
                _waiters.RemoveAt(i);
            }
        }

        _pending |= signal & ~delivered;
    }

    /// <summary>Wakes every waiter of a disposed handle (they return false).</summary>
    private void CloseListener()
    {
        List<TaskCompletionSource> waiters;
        lock (_data.Gate)
        {
            waiters = [.. _waiters.Select(w => w.Woken)];
            _waiters.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult();
        }
    }
}
