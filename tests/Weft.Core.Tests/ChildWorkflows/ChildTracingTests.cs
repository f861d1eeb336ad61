using System.Collections.Concurrent;
using System.Diagnostics;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ChildWorkflows;

/// <summary>A child run is its own trace, linked to its parent's: its run span carries a link to the parent
/// run's span and the parent run and task as tags.</summary>
public sealed class ChildTracingTests
{
    [Fact]
    public async Task TheChildRunSpan_LinksToTheParentRunSpan()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Weft",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = new ChildHarness();
        await h.RegisterAsync("""
            name: inner
            tasks:
              work: { echo: worked }
            """);

        var run = await h.Harness.RunAsync(ChildHarness.Parse("""
            name: outer
            tasks:
              sub: { workflow: inner }
            """));
        var child = Assert.Single(await h.ChildrenOfAsync(run.RunId));
        Activity? Span(string runId) => stopped.FirstOrDefault(a => a.OperationName == "weft.run" && (string?)a.GetTagItem("weft.run_id") == runId);
        await EngineHarness.WaitUntilAsync(() => Span(run.RunId) is not null && Span(child.RunId) is not null);

        var parentSpan = Span(run.RunId)!;
        var childSpan = Span(child.RunId)!;
        Assert.NotEqual(parentSpan.TraceId, childSpan.TraceId);
        var link = Assert.Single(childSpan.Links);
        Assert.Equal(parentSpan.SpanId, link.Context.SpanId);
        Assert.Equal(parentSpan.TraceId, link.Context.TraceId);
        Assert.Equal(run.RunId, childSpan.GetTagItem("weft.parent_run_id"));
        Assert.Equal("sub", childSpan.GetTagItem("weft.parent_task_id"));
    }
}
