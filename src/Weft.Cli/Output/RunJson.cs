using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Weft.Cli.Output;

/// <summary>The JSON document of one run, as <c>weft run --json</c> and <c>weft runs show --json</c>
/// print it: everything the text view shows. The shape is a contract (extended, never renamed):
/// <c>{"runId","workflow","state","startedAt","finishedAt","durationMs","tasks":{ID:{"state","attempts",
/// "startedAt","finishedAt","output","error","exitCode","kind","upstreamFailed","waitReason",
/// "attemptHistory":[{"number","outcome","startedAt","finishedAt","durationMs","exitCode","httpStatus",
/// "error","worker"}]}},"submittedAt","params","triggeredBy"}</c> (triggeredBy: who or what started the run,
/// such as <c>cli user@host</c>, <c>schedule …</c>, <c>retry of RUN</c>), states in snake_case, timestamps in ISO-8601, tasks in
/// definition order, missing values written as null.</summary>
internal static class RunJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,

        // Outputs are arbitrary text; keep non-ASCII readable instead of \uXXXX. The document is
        // printed to a terminal or a pipe, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(RunSnapshot run)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, run);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void Write(Utf8JsonWriter writer, RunSnapshot run)
    {
        writer.WriteStartObject();
        writer.WriteString("runId", run.RunId);
        writer.WriteString("workflow", run.Workflow);
        writer.WriteString("state", run.State.ToName());
        WriteTime(writer, "startedAt", run.StartedAt);
        WriteTime(writer, "finishedAt", run.FinishedAt);
        if (run.Duration is { } duration)
        {
            writer.WriteNumber("durationMs", (long)Math.Round(duration.TotalMilliseconds));
        }
        else
        {
            writer.WriteNull("durationMs");
        }

        writer.WriteStartObject("tasks");
        foreach (var task in run.Tasks)
        {
            WriteTask(writer, task);
        }

        writer.WriteEndObject();
        WriteTime(writer, "submittedAt", run.SubmittedAt == default ? null : run.SubmittedAt);
        writer.WriteStartObject("params");
        foreach (var (name, value) in run.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        writer.WriteString("triggeredBy", run.TriggeredBy);
        if (run.ParentRunId is { } parent)
        {
            writer.WriteString("parentRunId", parent);
            writer.WriteString("parentTaskId", run.ParentTaskId);
        }

        writer.WriteEndObject();
    }

    private static void WriteTask(Utf8JsonWriter writer, TaskSnapshot task)
    {
        writer.WriteStartObject(task.TaskId);
        writer.WriteString("state", task.State.ToName());
        writer.WriteNumber("attempts", task.Attempts);
        WriteTime(writer, "startedAt", task.StartedAt);
        WriteTime(writer, "finishedAt", task.FinishedAt);
        writer.WriteString("output", task.Output);
        writer.WriteString("error", task.Error);
        WriteNumber(writer, "exitCode", task.ExitCode);
        writer.WriteString("kind", task.Kind);
        writer.WriteString("upstreamFailed", task.UpstreamFailed);
        writer.WriteString("waitReason", task.WaitReason);
        writer.WriteStartArray("attemptHistory");
        foreach (var attempt in task.AttemptHistory)
        {
            writer.WriteStartObject();
            writer.WriteNumber("number", attempt.Number);
            writer.WriteString("outcome", RunDetails.OutcomeName(attempt.Outcome));
            WriteTime(writer, "startedAt", attempt.StartedAt);
            WriteTime(writer, "finishedAt", attempt.FinishedAt);
            WriteNumber(writer, "durationMs", attempt.FinishedAt is { } end ? (long)Math.Round((end - attempt.StartedAt).TotalMilliseconds) : null);
            WriteNumber(writer, "exitCode", attempt.ExitCode);
            WriteNumber(writer, "httpStatus", attempt.HttpStatus);
            writer.WriteString("error", attempt.Error);
            writer.WriteString("worker", attempt.Worker);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            // Utf8JsonWriter formats DateTimeOffset as ISO-8601 ("O"-style, with offset).
            writer.WriteString(name, time);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
