using Weft.Services;

namespace Weft.Cluster;

/// <summary>The cluster scheduler's intake: takes up every unfinished run of the cluster store that the
/// engine does not hold — at once when it starts (a new leader takes over what the last one left), and
/// again whenever another process records a run (<see cref="ClusterSignal.RunSubmitted"/>, with
/// <see cref="ClusterSchedulingOptions.PollEvery"/> as a safety net). One service whatever carries the
/// tasks (the store's queue or a transport such as NATS), so both take up runs the same way.</summary>
internal sealed class ClusterIntake(IClusterStore store, ClusterSchedulingOptions options, Func<CancellationToken, ValueTask<int>> takeUpUnfinished) : IEngineService
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private volatile bool _suspended;

    public string Name => "cluster intake (runs recorded by other processes)";

    /// <summary>What an operator should see: the store could not be read.</summary>
    public Action<string>? Log { get; set; }

    public void Start()
    {
        if (options.TakeSubmittedRuns)
        {
            _loop ??= Task.Run(LoopAsync);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    /// <summary>While suspended (the leadership lapsed) no run is taken up; on resuming, the next round does.</summary>
    public void Suspend(bool suspended) => _suspended = suspended;

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        var pause = TimeSpan.FromMilliseconds(50);
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (!_suspended)
                {
                    await takeUpUnfinished(token).ConfigureAwait(false);
                }

                pause = TimeSpan.FromMilliseconds(50);
                await store.WaitForSignalAsync(ClusterSignal.RunSubmitted, options.PollEvery, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                Log?.Invoke($"looking for submitted runs failed ({ex.Message}); retrying");
                try
                {
#pragma warning disable RS0030 // Real time on purpose: back-off while a real database is away.
                    await Task.Delay(pause, token).ConfigureAwait(false);
#pragma warning restore RS0030
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
