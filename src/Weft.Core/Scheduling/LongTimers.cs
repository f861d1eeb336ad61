namespace Weft.Scheduling;

/// <summary>Timers, delays and timeouts on a <see cref="TimeProvider"/> for waits of any length. A .NET
/// timer refuses a due time over <c>uint.MaxValue - 1</c> ms (about 49.7 days) and throws, so every
/// wait whose length a user chooses (a start time, a retry delay, a timeout, a sleep) goes through
/// here: it arms at most <see cref="MaxStep"/> at a time and, on each step, re-reads the clock and
/// arms again until the due time is reached.</summary>
internal static class LongTimers
{
    /// <summary>The longest single arming: far below the platform's limit, and short enough that a
    /// clock change is noticed within a day.</summary>
    public static readonly TimeSpan MaxStep = TimeSpan.FromDays(1);

    /// <summary>Calls <paramref name="callback"/> once, <paramref name="delay"/> from now on
    /// <paramref name="time"/> (at once for zero or less). Disposing the result stops it.</summary>
    public static ITimer Once(TimeProvider time, TimerCallback callback, object? state, TimeSpan delay)
    {
        var timer = new SteppedTimer(time, callback, state, DueAt(time.GetUtcNow(), delay));
        timer.Arm();
        return timer;
    }

    /// <summary>Like <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>, for any length.</summary>
    public static Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (delay <= MaxStep)
        {
            return Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, time, cancellationToken);
        }

        return new DelayCompletion(time, delay, cancellationToken).Task;
    }

    /// <summary>A token source cancelled <paramref name="delay"/> from now, for any length; disposing it
    /// stops its timer.</summary>
    public static CancellationTokenSource CancelAfter(TimeSpan delay, TimeProvider time)
    {
        if (delay <= MaxStep)
        {
            return new CancellationTokenSource(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, time);
        }

        var source = new TimedSource();
        source.Timer = Once(time, static s => ((TimedSource)s!).CancelQuietly(), source, delay);
        return source;
    }

    /// <summary><paramref name="now"/> + <paramref name="delay"/>, held at the calendar's end instead of overflowing.</summary>
    public static DateTimeOffset DueAt(DateTimeOffset now, TimeSpan delay) =>
        delay <= TimeSpan.Zero ? now
        : delay >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue
        : now + delay;

    private sealed class SteppedTimer(TimeProvider time, TimerCallback callback, object? state, DateTimeOffset due) : ITimer
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _due = due;
        private ITimer? _step;
        private bool _fired;
        private bool _disposed;

        // Runs at creation and on every step: fires when the clock has reached the due time, else
        // arms the next step (the clock may have moved by more or less than the step meanwhile).
        public void Arm()
        {
            lock (_lock)
            {
                if (_fired || _disposed)
                {
                    return;
                }

                var left = _due - time.GetUtcNow();
                if (left > TimeSpan.Zero)
                {
                    var step = left < MaxStep ? left : MaxStep;
                    if (_step is null)
                    {
                        _step = time.CreateTimer(static s => ((SteppedTimer)s!).Arm(), this, step, Timeout.InfiniteTimeSpan);
                    }
                    else
                    {
                        _step.Change(step, Timeout.InfiniteTimeSpan);
                    }

                    return;
                }

                _fired = true;
            }

            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (period != Timeout.InfiniteTimeSpan)
            {
                throw new NotSupportedException("a stepped timer fires once; it has no period");
            }

            lock (_lock)
            {
                if (_disposed)
                {
                    return false;
                }

                _due = DueAt(time.GetUtcNow(), dueTime);
                _fired = false;
            }

            Arm();
            return true;
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _step?.Dispose();
                _step = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DelayCompletion : TaskCompletionSource
    {
        private readonly CancellationToken _token;
        private CancellationTokenRegistration _cancel;
        private ITimer? _timer;

        public DelayCompletion(TimeProvider time, TimeSpan delay, CancellationToken token)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            _token = token;
            _timer = Once(time, static s => ((DelayCompletion)s!).End(canceled: false), this, delay);
            _cancel = token.Register(static s => ((DelayCompletion)s!).End(canceled: true), this);
            if (Task.IsCompleted)
            {
                _cancel.Dispose(); // ended before the registration was kept
            }
        }

        private void End(bool canceled)
        {
            if (canceled ? TrySetCanceled(_token) : TrySetResult())
            {
                Interlocked.Exchange(ref _timer, null)?.Dispose();
                _cancel.Dispose();
            }
        }
    }

    // Cancelled by a stepped timer; disposing the source stops the timer with it.
    private sealed class TimedSource : CancellationTokenSource
    {
        public ITimer? Timer { get; set; }

        public void CancelQuietly()
        {
            try
            {
                Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the step and this call: nobody waits any more.
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Timer?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
