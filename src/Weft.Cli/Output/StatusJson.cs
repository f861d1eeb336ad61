using System.Text;
using System.Text.Json;
using Weft.Cli.Commands;

namespace Weft.Cli.Output;

/// <summary>The <c>weft status --json</c> document: health, reasons, slots, queue depth by
/// priority, throughput, counters, memory, breakers, alerts, and the store's runs by state.</summary>
internal static class StatusJson
{
    public static string ToJson(StatusReport report)
    {
        var s = report.Engine;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("at", s.At);
            w.WriteString("health", s.Health.ToString().ToLowerInvariant());
            WriteStrings(w, "reasons", s.Reasons);
            w.WriteStartObject("slots");
            w.WriteNumber("busy", s.SlotsBusy);
            w.WriteNumber("idle", s.SlotsIdle);
            w.WriteNumber("total", s.SlotsTotal);
            w.WriteEndObject();
            w.WriteStartObject("queueDepth");
            foreach (var (priority, depth) in s.QueueDepth.OrderBy(p => p.Key))
            {
                w.WriteNumber(priority.ToString().ToLowerInvariant(), depth);
            }

            w.WriteEndObject();
            w.WriteNumber("activeRuns", s.ActiveRuns);
            w.WriteNumber("throughputPerSecond", s.ThroughputPerSecond);
            w.WriteNumber("tasksSucceeded", s.TasksSucceeded);
            w.WriteNumber("tasksFailed", s.TasksFailed);
            w.WriteNumber("workingSetBytes", s.WorkingSetBytes);
            w.WriteNumber("gcHeapBytes", s.GcHeapBytes);
            WriteFraction(w, "cpuBusy", s.CpuBusy);
            WriteFraction(w, "cpuIoWait", s.CpuIoWait);
            WriteFraction(w, "processCpu", s.ProcessCpu);
            w.WriteNumber("cores", s.Cores);
            w.WriteStartObject("breakers");
            foreach (var (key, state) in s.Breakers)
            {
                w.WriteString(key, state);
            }

            w.WriteEndObject();
            w.WriteStartArray("connectionPools");
            foreach (var pool in s.ConnectionPools)
            {
                w.WriteStartObject();
                w.WriteString("name", pool.Name);
                w.WriteString("provider", pool.Provider);
                w.WriteNumber("maxConnections", pool.MaxConnections);
                w.WriteNumber("inUse", pool.InUse);
                w.WriteNumber("waiting", pool.Waiting);
                w.WriteNumber("leases", pool.Leases);
                if (pool.Opened is { } opened)
                {
                    w.WriteNumber("opened", opened);
                }
                else
                {
                    w.WriteNull("opened");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteStrings(w, "alerts", s.Alerts);
            w.WriteStartObject("store");
            w.WriteString("name", report.Store);
            w.WriteStartObject("runs");
            foreach (var state in Enum.GetValues<RunState>())
            {
                w.WriteNumber(state.ToName(), report.Runs.GetValueOrDefault(state));
            }

            w.WriteEndObject();
            WriteStrings(w, "unfinished", report.Unfinished);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteFraction(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
