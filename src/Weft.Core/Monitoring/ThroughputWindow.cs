namespace Weft.Monitoring;

/// <summary>A ring of 60 one-second buckets: O(1) to record, O(60) to read.</summary>
internal sealed class ThroughputWindow
{
    private readonly long[] _buckets = new long[60];
    private long _currentSecond = long.MinValue;

    private long _secondEndsAt = long.MinValue;
    private int _currentBucket;

    public void Record(DateTimeOffset now, int count = 1)
    {
        // Most records fall in the same second as the last one: no division on that path.
        if (now.UtcTicks < _secondEndsAt)
        {
            _buckets[_currentBucket] += count;
            return;
        }

        var second = now.ToUnixTimeSeconds();
        _secondEndsAt = (second + 1) * TimeSpan.TicksPerSecond + DateTimeOffset.UnixEpoch.UtcTicks;
        _currentBucket = (int)(second % 60);
        Advance(second);
        _buckets[(int)(second % 60)] += count;
    }

    public double PerSecond(DateTimeOffset now)
    {
        Advance(now.ToUnixTimeSeconds());
        return _buckets.Sum() / 60.0;
    }

    private void Advance(long second)
    {
        if (_currentSecond == long.MinValue)
        {
            _currentSecond = second;
            return;
        }

        // Clear the buckets of the seconds that passed without a record.
        for (var s = _currentSecond + 1; s <= second && s <= _currentSecond + 60; s++)
        {
            _buckets[(int)(s % 60)] = 0;
        }

        if (second > _currentSecond)
        {
            _currentSecond = second;
        }
    }
}
