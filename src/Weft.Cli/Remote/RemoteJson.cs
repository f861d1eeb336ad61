using System.Text.Json;
using Weft.Execution;

namespace Weft.Cli.Remote;

/// <summary>The server's JSON views turned back into the engine's records, so <c>--server</c> prints
/// the same summary and <c>--json</c> document as a local run.</summary>
internal static class RemoteJson
{
    public static RunSnapshot ToSnapshot(JsonElement run)
    {
        StateNames.TryParseRun(run.GetProperty("state").GetString()!, out var state);
        return new RunSnapshot(run.GetProperty("runId").GetString()!, run.GetProperty("workflow").GetString()!, state)
        {
            SubmittedAt = run.GetProperty("submittedAt").GetDateTimeOffset(),
            StartedAt = Time(run, "startedAt"),
            FinishedAt = Time(run, "finishedAt"),
            Params = run.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            Tasks = [.. run.GetProperty("tasks").EnumerateArray().Select(ToTask)],
            TriggeredBy = run.TryGetProperty("triggeredBy", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null,
        };
    }

    public static RunEvent? ToEvent(JsonElement e)
    {
        var kind = e.GetProperty("kind").GetString()!.Replace("_", "", StringComparison.Ordinal);
        if (!Enum.TryParse<RunEventKind>(kind, ignoreCase: true, out var parsed))
        {
            return null;
        }

        RunState? runState = e.TryGetProperty("runState", out var rs) && rs.GetString() is { } name && StateNames.TryParseRun(name, out var s) ? s : null;
        return new RunEvent(parsed, e.GetProperty("runId").GetString()!, e.GetProperty("at").GetDateTimeOffset())
        {
            TaskId = Text(e, "taskId"),
            Attempt = e.GetProperty("attempt").GetInt32(),
            RunState = runState,
            Error = Text(e, "error"),
            RetryDelay = e.TryGetProperty("retryDelayMs", out var d) && d.ValueKind == JsonValueKind.Number ? TimeSpan.FromMilliseconds(d.GetDouble()) : null,
        };
    }

    private static TaskSnapshot ToTask(JsonElement t)
    {
        StateNames.TryParseTask(t.GetProperty("state").GetString()!, out var state);
        return new TaskSnapshot(t.GetProperty("taskId").GetString()!, t.GetProperty("kind").GetString()!, state)
        {
            Attempts = t.GetProperty("attempts").GetInt32(),
            StartedAt = Time(t, "startedAt"),
            FinishedAt = Time(t, "finishedAt"),
            Output = Text(t, "output"),
            OutputTruncated = t.GetProperty("outputTruncated").GetBoolean(),
            Error = Text(t, "error"),
            ExitCode = Number(t, "exitCode"),
            WaitReason = Text(t, "waitReason"),
            RetryDueAt = Time(t, "retryDueAt"),
            AttemptHistory = [.. t.GetProperty("attemptHistory").EnumerateArray().Select(a => new AttemptSnapshot(a.GetProperty("number").GetInt32(), a.GetProperty("startedAt").GetDateTimeOffset())
            {
                FinishedAt = Time(a, "finishedAt"),
                Outcome = Text(a, "outcome") is { } o && Enum.TryParse<TaskOutcomeStatus>(o.Replace("_", "", StringComparison.Ordinal), true, out var oc) ? oc : null,
                Error = Text(a, "error"),
                Worker = Text(a, "worker"),
                ExitCode = Number(a, "exitCode"),
                HttpStatus = Number(a, "httpStatus"),
                Stderr = Text(a, "stderr"),
            })],
        };
    }

    private static int? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Time(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetDateTimeOffset() : null;
}
