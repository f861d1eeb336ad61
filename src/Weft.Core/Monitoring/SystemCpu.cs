using System.Globalization;

namespace Weft.Monitoring;

/// <summary>The machine's cumulative CPU time, in clock ticks, from the first line of <c>/proc/stat</c>:
/// busy (user, nice, system, irq, softirq, steal), idle, and I/O wait (idle with I/O outstanding).</summary>
internal readonly record struct CpuTimes(long Busy, long Idle, long IoWait)
{
    public long Total => Busy + Idle + IoWait;

    /// <summary>The <c>cpu</c> line of <c>/proc/stat</c>; null when the text has none (not Linux, or
    /// a format this does not know).</summary>
    public static CpuTimes? Parse(string procStat)
    {
        foreach (var line in procStat.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                continue;
            }

            // user nice system idle iowait irq softirq steal [guest guest_nice: already counted in user and nice]
            Span<long> v = stackalloc long[8];
            var n = 0;
            foreach (var range in line[4..].Split(' '))
            {
                var field = line[4..][range];
                if (field.IsEmpty)
                {
                    continue;
                }

                if (n == v.Length)
                {
                    break;
                }

                if (!long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out v[n++]))
                {
                    return null;
                }
            }

            return n < 5 ? null : new CpuTimes(v[0] + v[1] + v[2] + v[5] + v[6] + v[7], v[3], v[4]);
        }

        return null;
    }

    /// <summary>Reads <c>/proc/stat</c>; null where there is none.</summary>
    public static CpuTimes? Read()
    {
        try
        {
            return Parse(File.ReadAllText("/proc/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>The machine's CPU over an interval, as fractions of all its cores: <see cref="Busy"/> is
/// what <c>top</c> shows as used (100 % minus idle and I/O wait), <see cref="IoWait"/> the share idle
/// while waiting on I/O.</summary>
/// <param name="Busy">Fraction of all cores' time spent running something, in [0, 1].</param>
/// <param name="IoWait">Fraction of all cores' time idle with I/O outstanding, in [0, 1].</param>
internal readonly record struct SystemCpuLoad(double Busy, double IoWait)
{
    /// <summary>The load between two readings; null when no time passed between them.</summary>
    public static SystemCpuLoad? Between(CpuTimes before, CpuTimes after)
    {
        var total = after.Total - before.Total;
        return total <= 0
            ? null
            : new SystemCpuLoad(
                Math.Clamp((double)(after.Busy - before.Busy) / total, 0, 1),
                Math.Clamp((double)(after.IoWait - before.IoWait) / total, 0, 1));
    }
}

/// <summary>Turns successive <c>/proc/stat</c> readings into the load since the previous one. Not
/// thread-safe: one owner (the pool scaler, the monitor) each.</summary>
internal sealed class SystemCpuMeter(Func<CpuTimes?> read)
{
    private CpuTimes? _last;

    public SystemCpuMeter()
        : this(CpuTimes.Read)
    {
    }

    /// <summary>The load since the previous call; null on the first call or where nothing can be read.</summary>
    public SystemCpuLoad? Next()
    {
        var now = read();
        var load = _last is { } before && now is { } after ? SystemCpuLoad.Between(before, after) : null;
        _last = now;
        return load;
    }
}
