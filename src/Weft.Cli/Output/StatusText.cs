using System.Globalization;
using System.Text;
using Weft.Cli.Commands;

namespace Weft.Cli.Output;

/// <summary>The plain-text form of <c>weft status</c>.</summary>
internal static class StatusText
{
    public static string Format(StatusReport report)
    {
        var s = report.Engine;
        var sb = new StringBuilder();
        void Line(FormattableString text) => sb.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"health:     {s.Health.ToString().ToLowerInvariant()}");
        foreach (var reason in s.Reasons)
        {
            Line($"            - {reason}");
        }

        Line($"slots:      {s.SlotsBusy} busy, {s.SlotsIdle} idle");
        Line($"queue:      {string.Join(", ", s.QueueDepth.OrderBy(p => p.Key).Select(p => $"{p.Key.ToString().ToLowerInvariant()} {p.Value}"))}");
        Line($"throughput: {s.ThroughputPerSecond:0.##} tasks/s over the last minute");
        Line($"cpu:        {Cpu(s)}");
        Line($"memory:     {s.WorkingSetBytes / (1024 * 1024)} MiB working set, {s.GcHeapBytes / (1024 * 1024)} MiB GC heap");
        if (s.Breakers.Count > 0)
        {
            Line($"breakers:   {string.Join(", ", s.Breakers.Select(b => $"{b.Key} {b.Value}"))}");
        }

        foreach (var pool in s.ConnectionPools)
        {
            var opened = pool.Opened is { } n ? $", {n} opened" : "";
            Line($"sql:        {pool.Name} ({pool.Provider}): {pool.InUse}/{pool.MaxConnections} in use, {pool.Waiting} waiting, {pool.Leases} leases{opened}");
        }

        var runs = string.Join(", ", Enum.GetValues<RunState>().Where(r => report.Runs.GetValueOrDefault(r) > 0).Select(r => $"{report.Runs[r]} {r.ToName()}"));
        Line($"store:      {report.Store}: {(runs.Length == 0 ? "no runs" : runs)}");
        if (report.Unfinished.Count > 0)
        {
            Line($"unfinished: {string.Join(", ", report.Unfinished.Take(10))}{(report.Unfinished.Count > 10 ? ", …" : "")} (continue with `weft runs resume ID`)");
        }

        // Reasons quote store errors and alerts, which may quote task names and paths.
        return TerminalText.Clean(sb.ToString().TrimEnd());
    }

    /// <summary>"37% of 2 cores in use (weft 12%), 3% I/O wait", or why there is no figure.</summary>
    private static string Cpu(EngineStatus s)
    {
        if (s.CpuBusy is not { } busy)
        {
            return "not measured (no /proc/stat, or not sampled yet)";
        }

        var process = s.ProcessCpu is { } p ? FormattableString.Invariant($" (weft {p * 100:0}%)") : "";
        return FormattableString.Invariant($"{busy * 100:0}% of {s.Cores} cores in use{process}, {(s.CpuIoWait ?? 0) * 100:0}% I/O wait");
    }
}
