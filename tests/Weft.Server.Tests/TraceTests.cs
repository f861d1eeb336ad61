using System.Collections.Concurrent;
using System.Diagnostics;

namespace Weft.Server.Tests;

public sealed class TraceTests
{
    [Fact]
    public async Task Run_IsOneTrace_RunSpanWithAChildSpanPerAttempt()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Weft",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await TestServer.StartAsync();

        var runId = await server.SubmitAsync(Workflows.Hello);
        await server.WaitAsync(runId);
        var deadline = Stopwatch.StartNew();
        while (!stopped.Any(a => a.OperationName == "weft.run" && (string?)a.GetTagItem("weft.run_id") == runId) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        var mine = stopped.Where(a => (string?)a.GetTagItem("weft.run_id") == runId).ToList();
        var run = Assert.Single(mine, a => a.OperationName == "weft.run");
        var tasks = mine.Where(a => a.OperationName == "weft.task").ToList();
        Assert.Equal(3, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(run.TraceId, t.TraceId));
        Assert.All(tasks, t => Assert.Equal(run.SpanId, t.ParentSpanId));
        Assert.Equal(ActivityStatusCode.Ok, run.Status);
    }
}
