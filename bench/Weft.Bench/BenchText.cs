using System.Globalization;
using System.Text;

namespace Weft.Bench;

/// <summary>Human-readable results: one line per workload.</summary>
internal static class BenchText
{
    public static string Format(IReadOnlyList<BenchResult> results)
    {
        var text = new StringBuilder();
        foreach (var result in results)
        {
            text.AppendLine(FormatLine(result));
        }

        return text.ToString();
    }

    public static string FormatLine(BenchResult r)
    {
        var store = r.Transport is { } transport ? $"{r.Store}+{transport}" : r.Store;
        if (r.FirstClaimMs is { } firstClaims)
        {
            return Inv($"START  {store,-7} worker process start to first claim: ") + string.Join(", ", firstClaims.Select(ms => Inv($"{ms:F0} ms")));
        }

        var isWorkflowRate = r.Workload.StartsWith("W4", StringComparison.Ordinal);
        var line = new StringBuilder();
        line.Append(Inv($"{r.Workload,-6} {store,-7} {r.Tasks,7} tasks  {r.Seconds,9:F3} s  {r.Rate,10:F0} "));
        line.Append(isWorkflowRate ? "workflows/s" : "tasks/s");
        if (r.HopUs is { } hop)
        {
            line.Append(Inv($"  hop {hop:F1} µs"));
        }

        if (r.ImbalancePercent is { } imbalance)
        {
            line.Append(Inv($"  slot imbalance {imbalance:F1}%"));
        }

        if (r.BareRate is { } bare)
        {
            line.Append(Inv($"  bare thread pool {bare:F0} tasks/s ({r.OfBarePercent:F0}% of it)"));
        }

        if (r.IdealSeconds is { } ideal)
        {
            line.Append(Inv($"  ideal {ideal:F3} s"));
        }

        if (r.BaselineSeconds is { } baseline)
        {
            line.Append(Inv($"  sequential baseline {baseline:F1} s (computed)"));
        }

        if (r.Workload == "W3")
        {
            line.Append("  fingerprint ").Append(Workloads.W3Fingerprint());
        }

        if (r.PeakMb is { } peak)
        {
            line.Append(Inv($"  peak {peak:F0} MB"));
        }

        if (r.CommitsPerTask is { } commits)
        {
            line.Append(Inv($"  {commits:F4} commits/task"));
        }

        if (r.WriteCommitsPerTask is { } writes)
        {
            line.Append(Inv($" ({writes:F4} write commits/task)"));
        }

        if (r.StatementsPerTask is { } statements)
        {
            line.Append(Inv($"  {statements:F3} statements/task"));
        }

        return line.ToString();
    }

    private static string Inv(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
