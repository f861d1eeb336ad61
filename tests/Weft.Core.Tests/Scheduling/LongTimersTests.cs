using Microsoft.Extensions.Time.Testing;
using Weft.Scheduling;

namespace Weft.Tests.Scheduling;

/// <summary>The one helper every user-length wait goes through: it fires at its time however far ahead
/// (past the platform's ~49.7-day timer limit), not a step early, and stops when disposed.</summary>
public sealed class LongTimersTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Once_FarAhead_FiresAtItsTimeNotBefore()
    {
        var fired = 0;
        using var timer = LongTimers.Once(_clock, _ => Interlocked.Increment(ref fired), null, TimeSpan.FromDays(100));

        _clock.Advance(TimeSpan.FromDays(100) - TimeSpan.FromTicks(1));
        Assert.Equal(0, fired);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, fired);
        _clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void Once_ClockJumpsPastSeveralSteps_FiresOnce()
    {
        var fired = 0;
        using var timer = LongTimers.Once(_clock, _ => Interlocked.Increment(ref fired), null, TimeSpan.FromDays(60));

        _clock.Advance(TimeSpan.FromDays(365));

        Assert.Equal(1, fired);
    }

    [Fact]
    public void Once_TimeSpanMaxValue_DoesNotThrowAndDoesNotFire()
    {
        var fired = 0;
        using var timer = LongTimers.Once(_clock, _ => fired++, null, TimeSpan.MaxValue);

        _clock.Advance(TimeSpan.FromDays(1000));

        Assert.Equal(0, fired);
    }

    [Fact]
    public void Once_Disposed_NeverFires()
    {
        var fired = 0;
        var timer = LongTimers.Once(_clock, _ => fired++, null, TimeSpan.FromDays(60));

        _clock.Advance(TimeSpan.FromDays(30));
        timer.Dispose();
        _clock.Advance(TimeSpan.FromDays(60));

        Assert.Equal(0, fired);
    }

    [Fact]
    public async Task DelayAsync_FarAhead_CompletesAtItsTime()
    {
        var delay = LongTimers.DelayAsync(TimeSpan.FromDays(70), _clock);

        _clock.Advance(TimeSpan.FromDays(69));
        Assert.False(delay.IsCompleted);
        _clock.Advance(TimeSpan.FromDays(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task DelayAsync_Cancelled_IsCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var delay = LongTimers.DelayAsync(TimeSpan.FromDays(70), _clock, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void CancelAfter_FarAhead_CancelsAtItsTime()
    {
        using var source = LongTimers.CancelAfter(TimeSpan.FromDays(50), _clock);

        _clock.Advance(TimeSpan.FromDays(50) - TimeSpan.FromTicks(1));
        Assert.False(source.IsCancellationRequested);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(source.IsCancellationRequested);
    }
}
