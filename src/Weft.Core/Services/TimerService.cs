namespace Weft.Services;

/// <summary>A service that calls <see cref="Tick"/> on the engine's clock every <see cref="Period"/>
/// (a fake clock in tests), and on stop disposes the timer and waits for the work a tick started.</summary>
internal abstract class TimerService(TimeProvider time) : IEngineService
{
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private Task _inFlight = Task.CompletedTask;
    private bool _stopped;

    public abstract string Name { get; }

    /// <summary>The first tick's delay.</summary>
    protected virtual TimeSpan FirstTick => Period;

    protected abstract TimeSpan Period { get; }

    /// <summary>Whether this service has anything to do in this engine (checked at start).</summary>
    protected virtual bool Enabled => true;

    protected TimeProvider Time { get; } = time;

    public void Start()
    {
        lock (_lock)
        {
            if (_timer is null && !_stopped && Enabled)
            {
                _timer = Time.CreateTimer(static s => ((TimerService)s!).OnTimer(), this, FirstTick, Period);
            }
        }
    }

    public async Task StopAsync()
    {
        ITimer? timer;
        lock (_lock)
        {
            _stopped = true;
            timer = _timer;
            _timer = null;
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        Task inFlight;
        lock (_lock)
        {
            inFlight = _inFlight;
        }

        await inFlight.ConfigureAwait(false);
        await StoppedAsync().ConfigureAwait(false);
    }

    /// <summary>One tick's work. Asynchronous work it returns is awaited before the next tick starts
    /// any (a tick while it is still in flight is skipped) and before <see cref="StopAsync"/> returns.</summary>
    protected abstract Task Tick();

    /// <summary>After the timer is gone and the last tick's work ended.</summary>
    protected virtual Task StoppedAsync() => Task.CompletedTask;

    /// <summary>Runs a tick now (tests and the engine's own "evaluate now" entry points).</summary>
    internal void TickNow() => OnTimer();

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_stopped || !_inFlight.IsCompleted)
            {
                return;
            }

            _inFlight = Tick();
        }
    }
}
