namespace Weft.Registry;

/// <summary>The background runner: sleeps on the engine's clock until the next tick of any schedule
/// (or a change: a registration, a resume), then starts what is due.</summary>
public sealed partial class ScheduleService : Services.IEngineService
{
    // Re-read the store at least this often: another engine on it may have registered or resumed a schedule.
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _wake = new(0);
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;
    private long _naps;
    private long _passes;
    private long _lastNappedPass;

    /// <summary>How many times the runner went to sleep (tests wait for it before moving a fake clock).</summary>
    internal long Naps => Interlocked.Read(ref _naps);

    /// <summary>How many looks at the schedules the runner has begun.</summary>
    internal long Passes => Interlocked.Read(ref _passes);

    /// <summary>The pass after which the runner last went to sleep. A test that reads <see cref="Passes"/>,
    /// then calls <see cref="Wake"/>, knows the runner has looked since once this exceeds what it read.</summary>
    internal long LastNappedPass => Interlocked.Read(ref _lastNappedPass);

    /// <summary>Wakes the runner to look at the schedules again (something changed in this process).</summary>
    internal void Wake()
    {
        if (_stop is { IsCancellationRequested: false })
        {
            _wake.Release();
        }
    }

    string Services.IEngineService.Name => "schedule runner";

    void Services.IEngineService.Start()
    {
        if (_options.Enabled)
        {
            Start();
        }
    }

    Task Services.IEngineService.StopAsync() => StopAsync();

    internal void Start()
    {
        if (_stop is not null)
        {
            return;
        }

        var stop = new CancellationTokenSource();
        _stop = stop;
        _loop = Task.Run(() => LoopAsync(stop.Token));
    }

    internal async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stop, null) is not { } stop)
        {
            return; // never started, or stopped already
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var pass = Interlocked.Increment(ref _passes);
            DateTimeOffset? next = null;
            try
            {
                next = (await RunDueCoreAsync(stop).ConfigureAwait(false)).NextTick;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is unavailable (or the engine is stopping): try again at the next wake-up.
                LastError = $"schedules: {ex.Message}";
            }

            try
            {
                await SleepAsync(next, pass, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SleepAsync(DateTimeOffset? next, long pass, CancellationToken stop)
    {
        var until = next is { } n && n - _time.GetUtcNow() < MaxSleep ? n : _time.GetUtcNow() + MaxSleep;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = until - _time.GetUtcNow();
        var timer = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, _time, cts.Token);
        Interlocked.Exchange(ref _lastNappedPass, pass);
        Interlocked.Increment(ref _naps);

        // The clock may have moved between reading it and arming the timer (a fake clock in a test, a
        // slow thread): then the timer would fire one interval late.
        if (_time.GetUtcNow() < until)
        {
            await Task.WhenAny(timer, _wake.WaitAsync(cts.Token)).ConfigureAwait(false);
        }

        await cts.CancelAsync().ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
    }
}
