using System.Text;
using Weft.Definitions;
using Weft.Tests.Definitions;
using Weft.Tests.Handlers;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Waiting;

/// <summary>The sensor form, against a real HTTP server: polled every <c>every</c> on the engine's clock,
/// no slot held, ends with the response body when the condition holds, or at its timeout.</summary>
public sealed class SensorTests
{
    private static async Task Reply(System.Net.HttpListenerContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        var bytes = Encoding.UTF8.GetBytes(body);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static WorkflowDefinition Flow(string url, string timeout = "6h") => WorkflowLoader.Parse(Loading.Text($$$"""
        name: export
        tasks:
          wait_for_export:
            wait:
              http: { url: "{{{url}}}exports/7" }
              until: "{{ response.json.status == 'done' }}"
              every: 30s
              timeout: {{{timeout}}}
        """), "flow.yaml");

    private static Task PolledAsync(WeftEngine engine, string runId, int polls) =>
        EngineHarness.WaitUntilAsync(() =>
            engine.GetRun(runId)!.Tasks[0] is { } t && (t.State != TaskState.Waiting || (t.WaitReason?.Contains($"poll {polls}:", StringComparison.Ordinal) ?? false)));

    [Fact]
    public async Task Sensor_PollsEveryInterval_UntilTheConditionHolds_AndOutputsTheBody()
    {
        var answers = new Queue<(int, string)>([(200, """{"status":"running"}"""), (404, "not yet"), (200, """{"status":"done","url":"s3://x"}""")]);
        using var server = new TestHttpServer((c, _) => { var (s, b) = answers.Dequeue(); return Reply(c, s, b); });
        await using var h = new EngineHarness(workers: 1);
        var handle = await h.Engine.SubmitAsync(Flow(server.Url));

        await PolledAsync(h.Engine, handle.RunId, 1);
        var first = h.Engine.GetRun(handle.RunId)!.Tasks[0];
        Assert.Equal(TaskState.Waiting, first.State);
        Assert.EndsWith("poll 1: status 200, condition not met", first.WaitReason, StringComparison.Ordinal);
        Assert.Equal(0, h.Engine.GetStatus().SlotsBusy);

        h.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Single(server.Requests);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await PolledAsync(h.Engine, handle.RunId, 2);
        Assert.EndsWith("poll 2: status 404, condition not met", h.Engine.GetRun(handle.RunId)!.Tasks[0].WaitReason, StringComparison.Ordinal);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("""{"status":"done","url":"s3://x"}""", run.Tasks[0].Output);
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("/exports/7", r.Path));
    }

    [Fact]
    public async Task Sensor_TimesOut_WithTheLastPollInTheError()
    {
        using var server = new TestHttpServer((c, _) => Reply(c, 200, """{"status":"running"}"""));
        await using var h = new EngineHarness(workers: 1);
        var handle = await h.Engine.SubmitAsync(Flow(server.Url, timeout: "1m"));

        await PolledAsync(h.Engine, handle.RunId, 1);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        await PolledAsync(h.Engine, handle.RunId, 2);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.StartsWith("timed out after 1m waiting for '{{ response.json.status == 'done' }}' on GET", run.Tasks[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sensor_ARefusedConnection_IsNotYet_NotAFailure()
    {
        var port = TestHttpServer.FreePort();
        await using var h = new EngineHarness(workers: 1);
        var handle = await h.Engine.SubmitAsync(Flow($"http://127.0.0.1:{port}/", timeout: "1h"));

        await PolledAsync(h.Engine, handle.RunId, 1);
        var task = h.Engine.GetRun(handle.RunId)!.Tasks[0];
        Assert.Equal(TaskState.Waiting, task.State);
        Assert.Contains("poll 1: ", task.WaitReason, StringComparison.Ordinal);
        await h.Engine.CancelAsync(handle.RunId);
    }
}
