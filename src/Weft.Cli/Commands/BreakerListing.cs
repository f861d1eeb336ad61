using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Weft.Cli.Commands;

/// <summary>The output of <c>weft breakers list</c>, the same locally and through a server: a line per
/// breaker, or (<c>--json</c>) an array of <c>{key, state, failures, openedAt, openUntil, waiting}</c>.</summary>
internal static class BreakerListing
{
    public static void Write(CliIo io, IReadOnlyList<BreakerStatus> breakers, bool json)
    {
        if (json)
        {
            io.Out.WriteLine(ToJson(breakers));
            return;
        }

        if (breakers.Count == 0)
        {
            io.Out.WriteLine("no circuit breakers");
            return;
        }

        var width = Math.Max(3, breakers.Max(b => b.Key.Length));
        io.Out.WriteLine($"{"KEY".PadRight(width)}  {"STATE",-9}  {"FAILURES",8}  {"WAITING",7}  OPENED");
        foreach (var b in breakers)
        {
            var opened = b.OpenedAt is { } at ? Time(at) + (b.OpenUntil is { } until ? $" (until {Time(until)})" : "") : "-";
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{b.Key.PadRight(width)}  {b.State,-9}  {b.Failures,8}  {b.Waiting,7}  {opened}"));
        }
    }

    public static string ToJson(IReadOnlyList<BreakerStatus> breakers)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var b in breakers)
            {
                w.WriteStartObject();
                w.WriteString("key", b.Key);
                w.WriteString("state", b.State);
                w.WriteNumber("failures", b.Failures);
                WriteTime(w, "openedAt", b.OpenedAt);
                WriteTime(w, "openUntil", b.OpenUntil);
                w.WriteNumber("waiting", b.Waiting);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
