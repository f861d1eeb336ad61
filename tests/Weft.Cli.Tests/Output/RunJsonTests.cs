using System.Text.Json;
using Weft.Cli.Output;

namespace Weft.Tests.Output;

public sealed class RunJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static RunSnapshot SampleRun() => new("run-1", "etl", RunState.Failed)
    {
        SubmittedAt = T0,
        StartedAt = T0,
        FinishedAt = T0.AddMilliseconds(1500),
        TriggeredBy = "retry of run-0",
        Tasks =
        [
            new TaskSnapshot("extract", "shell", TaskState.Succeeded)
            {
                Attempts = 1,
                StartedAt = T0.AddMilliseconds(10),
                FinishedAt = T0.AddMilliseconds(310),
                Output = "rows: 42\nmore",
                ExitCode = 0,
            },
            new TaskSnapshot("transform", "function", TaskState.Failed)
            {
                Attempts = 3,
                StartedAt = T0.AddMilliseconds(400),
                FinishedAt = T0.AddMilliseconds(1400),
                Error = "boom — \"quoted\"",
            },
            new TaskSnapshot("load", "noop", TaskState.UpstreamFailed),
        ],
    };

    [Fact]
    public void ToJson_TopLevel_HasExactlyTheContractKeys()
    {
        using var doc = JsonDocument.Parse(RunJson.ToJson(SampleRun()));
        var root = doc.RootElement;

        Assert.Equal(
            ["runId", "workflow", "state", "startedAt", "finishedAt", "durationMs", "tasks", "submittedAt", "params", "triggeredBy"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("retry of run-0", root.GetProperty("triggeredBy").GetString());
        Assert.Equal("run-1", root.GetProperty("runId").GetString());
        Assert.Equal("etl", root.GetProperty("workflow").GetString());
        Assert.Equal("failed", root.GetProperty("state").GetString());
        Assert.Equal(T0, root.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(T0.AddMilliseconds(1500), root.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.Equal(1500, root.GetProperty("durationMs").GetInt64());
    }

    [Fact]
    public void ToJson_Tasks_InDefinitionOrderWithEveryKey()
    {
        using var doc = JsonDocument.Parse(RunJson.ToJson(SampleRun()));
        var tasks = doc.RootElement.GetProperty("tasks");

        Assert.Equal(["extract", "transform", "load"], tasks.EnumerateObject().Select(p => p.Name));
        foreach (var task in tasks.EnumerateObject())
        {
            Assert.Equal(
                ["state", "attempts", "startedAt", "finishedAt", "output", "error", "exitCode", "kind", "upstreamFailed", "waitReason", "attemptHistory"],
                task.Value.EnumerateObject().Select(p => p.Name));
        }

        var extract = tasks.GetProperty("extract");
        Assert.Equal("succeeded", extract.GetProperty("state").GetString());
        Assert.Equal(1, extract.GetProperty("attempts").GetInt32());
        Assert.Equal(T0.AddMilliseconds(10), extract.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(T0.AddMilliseconds(310), extract.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.Equal("rows: 42\nmore", extract.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, extract.GetProperty("error").ValueKind);
        Assert.Equal(0, extract.GetProperty("exitCode").GetInt32());

        var transform = tasks.GetProperty("transform");
        Assert.Equal("failed", transform.GetProperty("state").GetString());
        Assert.Equal(3, transform.GetProperty("attempts").GetInt32());
        Assert.Equal("boom — \"quoted\"", transform.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, transform.GetProperty("output").ValueKind);
        Assert.Equal(JsonValueKind.Null, transform.GetProperty("exitCode").ValueKind);
    }

    [Fact]
    public void ToJson_StatesAreSnakeCase()
    {
        using var doc = JsonDocument.Parse(RunJson.ToJson(SampleRun() with { State = RunState.TimedOut }));

        Assert.Equal("timed_out", doc.RootElement.GetProperty("state").GetString());
        Assert.Equal("upstream_failed", doc.RootElement.GetProperty("tasks").GetProperty("load").GetProperty("state").GetString());
    }

    [Fact]
    public void ToJson_MissingValues_AreWrittenAsNull()
    {
        using var doc = JsonDocument.Parse(RunJson.ToJson(new RunSnapshot("run-2", "empty", RunState.Pending)));
        var root = doc.RootElement;

        Assert.Equal(JsonValueKind.Null, root.GetProperty("startedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("finishedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("durationMs").ValueKind);
        Assert.Empty(root.GetProperty("tasks").EnumerateObject());

        using var taskDoc = JsonDocument.Parse(RunJson.ToJson(SampleRun()));
        var load = taskDoc.RootElement.GetProperty("tasks").GetProperty("load");
        Assert.All(
            ["startedAt", "finishedAt", "output", "error", "exitCode"],
            key => Assert.Equal(JsonValueKind.Null, load.GetProperty(key).ValueKind));
    }

    [Fact]
    public void ToJson_Timestamps_AreIso8601WithOffset()
    {
        var json = RunJson.ToJson(SampleRun());

        Assert.Contains("\"startedAt\": \"2026-11-22T12:00:00+00:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"finishedAt\": \"2026-11-22T12:00:01.5+00:00\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_TriggeredByNotRecorded_IsNull()
    {
        using var doc = JsonDocument.Parse(RunJson.ToJson(SampleRun() with { TriggeredBy = null }));

        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("triggeredBy").ValueKind);
    }

    [Fact]
    public void ListJson_EachRun_HasTheContractKeysAndTriggeredBy()
    {
        var runs = new[]
        {
            new Weft.Storage.RunSummary("run-2", "etl", RunState.Running, T0) { StartedAt = T0, TriggeredBy = "schedule 2026-11-22T12:00:00Z" },
            new Weft.Storage.RunSummary("run-1", "etl", RunState.Succeeded, T0) { StartedAt = T0, FinishedAt = T0 },
        };

        using var doc = JsonDocument.Parse(RunListJson.ToJson(runs));
        var list = doc.RootElement.EnumerateArray().ToList();

        Assert.All(list, r => Assert.Equal(["runId", "workflow", "state", "startedAt", "finishedAt", "triggeredBy"], r.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("schedule 2026-11-22T12:00:00Z", list[0].GetProperty("triggeredBy").GetString());
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("triggeredBy").ValueKind);
    }
}
