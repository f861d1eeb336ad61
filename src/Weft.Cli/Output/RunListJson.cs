using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Weft.Storage;

namespace Weft.Cli.Output;

/// <summary>The JSON document of <c>weft runs list --json</c>: one array of
/// <c>{"runId","workflow","state","startedAt","finishedAt","triggeredBy"}</c> in the order given (newest
/// first), states in snake_case, times in ISO-8601, missing times (and an unrecorded triggeredBy) as null. The shape is a contract.</summary>
internal static class RunListJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(IEnumerable<RunSummary> runs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var run in runs)
            {
                writer.WriteStartObject();
                writer.WriteString("runId", run.RunId);
                writer.WriteString("workflow", run.Workflow);
                writer.WriteString("state", run.State.ToName());
                WriteTime(writer, "startedAt", run.StartedAt);
                WriteTime(writer, "finishedAt", run.FinishedAt);
                writer.WriteString("triggeredBy", run.TriggeredBy);
                if (run.ParentRunId is { } parent)
                {
                    writer.WriteString("parentRunId", parent);
                    writer.WriteString("parentTaskId", run.ParentTaskId);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
