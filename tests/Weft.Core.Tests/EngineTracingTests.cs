using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Weft.Definitions;

namespace Weft.Core.Tests;

/// <summary>The core traces every run, whoever submitted it (here <c>engine.SubmitAsync</c>): a run span
/// and a span per attempt with the workflow, task, kind, attempt and outcome.</summary>
public sealed class EngineTracingTests
{
    [Fact]
    public async Task SubmitAsync_RunIsOneTrace_AttemptSpansCarryWorkflowTaskKindAttemptOutcome()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Weft",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var engine = WeftEngine.Create(o => o.Workers = 2);
        var calls = 0;
        engine.Functions.Register("flaky", _ => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("first time") : "ok");
        var definition = Workflow.Create("traced")
            .Task("first", t => t.Noop())
            .Task("second", t => t.Function("flaky", new JsonObject()).DependsOn("first").Retry(new RetryPolicy { MaxAttempts = 2, Delay = TimeSpan.FromMilliseconds(10) }))
            .Build();

        var run = await (await engine.SubmitAsync(definition)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var deadline = Stopwatch.StartNew();
        while (!stopped.Any(a => a.OperationName == "weft.run" && (string?)a.GetTagItem("weft.run_id") == run.RunId) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        var mine = stopped.Where(a => (string?)a.GetTagItem("weft.run_id") == run.RunId).ToList();
        var runSpan = Assert.Single(mine, a => a.OperationName == "weft.run");
        var attempts = mine.Where(a => a.OperationName == "weft.task").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(ActivityStatusCode.Ok, runSpan.Status);
        Assert.Equal("traced", runSpan.GetTagItem("weft.workflow"));
        Assert.Equal("succeeded", runSpan.GetTagItem("weft.state"));
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(runSpan.SpanId, a.ParentSpanId));
        Assert.All(attempts, a => Assert.Equal("traced", a.GetTagItem("weft.workflow")));
        Assert.Equal(["first/noop/1/succeeded", "second/function/1/failed", "second/function/2/succeeded"],
            attempts.Select(a => $"{a.GetTagItem("weft.task_id")}/{a.GetTagItem("weft.kind")}/{a.GetTagItem("weft.attempt")}/{a.GetTagItem("weft.outcome")}"));
        Assert.Equal(ActivityStatusCode.Error, attempts[1].Status);
    }
}
