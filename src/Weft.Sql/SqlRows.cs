using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Weft.Sql;

/// <summary>Turns query results into a task's output: rows as a JSON array of objects (column name to
/// value) cut on a row boundary at the output limit, so a cut output is still JSON; a scalar as text.</summary>
internal static class SqlRows
{
    /// <summary>The rows of the last result set that has columns (so "insert …; select …" gives the select's).</summary>
    public static async Task<(string Json, bool Truncated)> ReadAsync(DbDataReader reader, int limit, CancellationToken token)
    {
        var rows = "[]";
        var truncated = false;
        do
        {
            if (reader.FieldCount == 0)
            {
                continue;
            }

            (rows, truncated) = await ReadSetAsync(reader, limit, token).ConfigureAwait(false);
            if (truncated)
            {
                break;
            }
        }
        while (await reader.NextResultAsync(token).ConfigureAwait(false));

        return (rows, truncated);
    }

    private static async Task<(string Json, bool Truncated)> ReadSetAsync(DbDataReader reader, int limit, CancellationToken token)
    {
        var names = new string[reader.FieldCount];
        var json = new bool[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
            json[i] = reader.GetDataTypeName(i).ToUpperInvariant() is "JSON" or "JSONB"; // MySQL says JSON
        }

        using var buffer = new MemoryStream();
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartArray();
        writer.Flush();
        var truncated = false;
        while (await reader.ReadAsync(token).ConfigureAwait(false))
        {
            var before = buffer.Length;
            writer.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                writer.WritePropertyName(names[i]);
                var value = await reader.IsDBNullAsync(i, token).ConfigureAwait(false) ? null : reader.GetValue(i);
                if (json[i] && value is string raw)
                {
                    writer.WriteRawValue(raw, skipInputValidation: true);
                }
                else
                {
                    Write(writer, value);
                }
            }

            writer.WriteEndObject();
            writer.Flush();
            if (buffer.Length + 1 > limit)
            {
                // The row that does not fit is dropped whole: what is kept stays a JSON array.
                buffer.SetLength(before);
                truncated = true;
                break;
            }
        }

        buffer.WriteByte((byte)']');
        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), truncated);
    }

    /// <summary>A scalar as text: strings as they are, numbers and dates in invariant form; null for SQL null.</summary>
    public static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case Array array:
                writer.WriteStartArray();
                foreach (var item in (IEnumerable)array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Text(value));
                break;
        }
    }
}
