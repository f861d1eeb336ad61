using Npgsql;
using Weft.Cluster;

namespace Weft.Postgres;

/// <summary>One LISTEN connection per store instance, shared by every waiter, started by the first wait.
/// Notifications wake the waiters that asked for them; a signal nobody waited for is kept (coalesced)
/// for the next waiter. When the connection breaks, the waiters return false (they may have missed a
/// signal and should look at the tables) and the listener reconnects with backoff. Idle, it costs
/// nothing but a blocked read (and a keepalive).</summary>
internal sealed class SignalListener(PostgresStore store) : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClusterSignal _pending;
    private Task? _loop;

    private sealed class Waiter(ClusterSignal signals)
    {
        public ClusterSignal Signals { get; } = signals;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Completes once LISTEN is in effect (tests wait for it before raising a signal).</summary>
    public Task WhenListeningAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Start();
            return _listening.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask<bool> WaitAsync(ClusterSignal signals, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            Start();
            if ((_pending & signals) != 0)
            {
                _pending &= ~signals;
                return true;
            }

            if (timeout <= TimeSpan.Zero)
            {
                return false;
            }

            waiter = new Waiter(signals);
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
            _stop.Cancel();
            Release(signalled: false);
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void Start()
    {
        if (_loop is null && !_stop.IsCancellationRequested)
        {
            _loop = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var backoff = FirstBackoff;
        var channels = new Channels(store.Connection.Schema);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await store.OpenDedicatedAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, e) => OnNotification(channels.SignalOf(e.Channel));
                await using (var batch = new NpgsqlBatch(connection))
                {
                    foreach (var channel in channels.All)
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand($"LISTEN \"{channel}\""));
                    }

                    store.CountStatements(batch.BatchCommands.Count);
                    await batch.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                }

                lock (_gate)
                {
                    // Waiters that came during an outage may have missed signals: they look again.
                    Release(signalled: false);
                    _listening.TrySetResult();
                }

                backoff = FirstBackoff;
                while (true)
                {
                    await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Whatever broke the connection (server restart, network, a disposed pool while
                // stopping), waiters must not hang on it and the loop must live on.
                lock (_gate)
                {
                    if (_listening.Task.IsCompleted)
                    {
                        _listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    Release(signalled: false);
                }
            }

            try
            {
                await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    private void OnNotification(ClusterSignal signal)
    {
        if (signal == ClusterSignal.None)
        {
            return;
        }

        lock (_gate)
        {
            var taken = false;
            foreach (var waiter in _waiters)
            {
                if ((waiter.Signals & signal) != 0)
                {
                    taken |= waiter.Done.TrySetResult(true);
                }
            }

            if (!taken)
            {
                _pending |= signal;
            }
        }
    }

    // Under _gate.
    private void Release(bool signalled)
    {
        foreach (var waiter in _waiters)
        {
            waiter.Done.TrySetResult(signalled);
        }
    }
}
