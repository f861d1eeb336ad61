using System.Diagnostics;
using System.Globalization;

namespace Weft.Bench;

/// <summary>Facts about the machine and process that results are reported with.</summary>
internal static class MachineInfo
{
    /// <summary>Peak resident memory of this process in MB. /proc's VmHWM is the true high-water
    /// mark; elsewhere the runtime's peak working set is the nearest thing.</summary>
    public static double PeakMemoryMb()
    {
        var kb = ReadProcKb("/proc/self/status", "VmHWM:");
        return kb is { } value ? value / 1024d : Process.GetCurrentProcess().PeakWorkingSet64 / (1024d * 1024d);
    }

    /// <summary>"4 cores, 16.0 GB, Linux …": the line WORKLOADS.md asks to report with results.</summary>
    public static string Describe()
    {
        var memoryKb = ReadProcKb("/proc/meminfo", "MemTotal:");
        var memory = memoryKb is { } kb
            ? (kb / (1024d * 1024d)).ToString("F1", CultureInfo.InvariantCulture) + " GB"
            : "memory unknown";
        return $"{Environment.ProcessorCount} cores, {memory}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private static long? ReadProcKb(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var digits = line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim();
                return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
            }
        }

        return null;
    }
}
