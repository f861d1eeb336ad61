using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Weft.Server.Monitoring;

/// <summary>The running totals of the instruments the engine records into as tasks move (a counter, two
/// histograms), one series per instrument and tag values, kept between scrapes. Called on the
/// scheduler's thread for every task, so a measurement of a series seen before allocates nothing: the
/// series is found by its tag values without copying them, and updated under its own (uncontended) lock.
/// What an instrument is (its histogram buckets, or none) is asked of <paramref name="bucketsOf"/> once, when the
/// instrument is first recorded: not per measurement (that took reflection over the instrument's type each time).</summary>
internal sealed class RecordedSeries(Func<Instrument, IReadOnlyList<double>?> bucketsOf)
{
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();

    public void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_instruments.TryGetValue(instrument, out var series))
        {
            series = _instruments.GetOrAdd(instrument, static (i, of) => new InstrumentSeries(of(i)), bucketsOf);
        }

        var key = TagKey.Of(tags);
        if (!series.ByTags.TryGetValue(key, out var one))
        {
            one = series.ByTags.GetOrAdd(key.Owned(tags), static (_, b) => new Series(b), series.Buckets);
        }

        one.Add(value);
    }

    /// <summary>A copy of every series of <paramref name="instrument"/>: tags, cumulative bucket counts
    /// (empty for a counter), count and sum.</summary>
    public IReadOnlyList<(KeyValuePair<string, object?>[] Tags, Snapshot Values)> Read(Instrument instrument) =>
        _instruments.TryGetValue(instrument, out var series)
            ? [.. series.ByTags.Select(s => (s.Key.Tags!, s.Value.Read())).OrderBy(s => string.Join(',', s.Item1.Select(t => t.Value)), StringComparer.Ordinal)]
            : [];

    public IEnumerable<Instrument> Instruments => _instruments.Keys;

    internal sealed record Snapshot(IReadOnlyList<double> Bounds, long[] Cumulative, long Count, double Sum);

    // One instrument's series by tag values, and its histogram buckets (null: a counter).
    private sealed class InstrumentSeries(IReadOnlyList<double>? buckets)
    {
        public IReadOnlyList<double>? Buckets { get; } = buckets;

        public ConcurrentDictionary<TagKey, Series> ByTags { get; } = new();
    }

    private sealed class Series(IReadOnlyList<double>? bounds)
    {
        private readonly Lock _gate = new();
        private readonly long[] _buckets = bounds is null ? [] : new long[bounds.Count + 1];
        private long _count;
        private double _sum;

        public void Add(double value)
        {
            lock (_gate)
            {
                _count++;
                _sum += value;
                if (bounds is not null)
                {
                    var i = 0;
                    while (i < bounds.Count && value > bounds[i])
                    {
                        i++;
                    }

                    _buckets[i]++;
                }
            }
        }

        public Snapshot Read()
        {
            lock (_gate)
            {
                var cumulative = new long[_buckets.Length];
                long running = 0;
                for (var i = 0; i < _buckets.Length; i++)
                {
                    running += _buckets[i];
                    cumulative[i] = running;
                }

                return new Snapshot(bounds ?? [], cumulative, _count, _sum);
            }
        }
    }

    /// <summary>Up to four tag values, compared by value (an instrument of the Weft meter always gives the
    /// same tag names in the same order); the tags themselves are kept (copied) only by the key stored for
    /// a new series. More than four tags fall back to one string of them all.</summary>
    private readonly struct TagKey : IEquatable<TagKey>
    {
        private readonly object? _a;
        private readonly object? _b;
        private readonly object? _c;
        private readonly object? _d;
        private readonly int _count;

        private TagKey(object? a, object? b, object? c, object? d, int count, KeyValuePair<string, object?>[]? tags)
        {
            (_a, _b, _c, _d, _count, Tags) = (a, b, c, d, count, tags);
        }

        public KeyValuePair<string, object?>[]? Tags { get; }

        public static TagKey Of(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length switch
        {
            0 => default,
            1 => new(tags[0].Value, null, null, null, 1, null),
            2 => new(tags[0].Value, tags[1].Value, null, null, 2, null),
            3 => new(tags[0].Value, tags[1].Value, tags[2].Value, null, 3, null),
            4 => new(tags[0].Value, tags[1].Value, tags[2].Value, tags[3].Value, 4, null),
            _ => new(string.Join('\u0001', tags.ToArray().Select(t => $"{t.Key}={t.Value}")), null, null, null, tags.Length, null),
        };

        public TagKey Owned(ReadOnlySpan<KeyValuePair<string, object?>> tags) => new(_a, _b, _c, _d, _count, tags.ToArray());

        public bool Equals(TagKey other) =>
            _count == other._count && Equals(_a, other._a) && Equals(_b, other._b) && Equals(_c, other._c) && Equals(_d, other._d);

        public override bool Equals(object? obj) => obj is TagKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d, _count);
    }
}
