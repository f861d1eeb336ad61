using System.Diagnostics;
using System.Net;
using System.Text;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;

namespace Weft.Tests.Handlers;

public sealed class HttpHandlerTests : IDisposable
{
    private static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpHandler _handler = new();
    private readonly TestHttpServer _server = new((context, _) => Reply(context, 200, "ok"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ExecuteAsync_Ok_SucceedsWithBodyAsOutput()
    {
        var outcome = await Run(new HttpSpec("GET", _server.Url + "hello"));

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("ok", outcome.Output);
        Assert.Equal(200, outcome.HttpStatus);
        Assert.Equal("http", _handler.Kind);
    }

    [Fact]
    public async Task ExecuteAsync_MethodHeadersBodyAndUrl_AreRenderedAndSent()
    {
        var spec = new HttpSpec("post", _server.Url + "items/{{ params.id }}")
        {
            Headers = new Dictionary<string, string> { ["X-Custom"] = "run {{ run.id }}", ["Content-Type"] = "application/json" },
            Body = "{\"name\":\"{{ params.name }}\"}",
        };
        var values = new Dictionary<string, string> { ["params.id"] = "7", ["params.name"] = "ada", ["run.id"] = "r1" };

        var outcome = await Run(spec, values);

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/items/7", "{\"name\":\"ada\"}", "application/json", "run r1"), request);
    }

    [Fact]
    public async Task ExecuteAsync_ServerError_FailsWithStatusAndClearError()
    {
        _server.Handler = (context, _) => Reply(context, 503, "down for maintenance");

        var outcome = await Run(new HttpSpec("GET", _server.Url + "x?token=secret"));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal(503, outcome.HttpStatus);
        Assert.Equal($"HTTP 503 Service Unavailable from GET {_server.Url}x", outcome.Error);
        Assert.Equal("down for maintenance", outcome.Output);
    }

    [Fact]
    public async Task ExecuteAsync_ExpectStatus_DecidesSuccess()
    {
        _server.Handler = (context, _) => Reply(context, 404, "missing");

        var accepted = await Run(new HttpSpec("GET", _server.Url) { ExpectStatus = [200, 404] });
        var rejected = await Run(new HttpSpec("GET", _server.Url) { ExpectStatus = [200] });
        _server.Handler = (context, _) => Reply(context, 201, "created");
        var createdNotExpected = await Run(new HttpSpec("GET", _server.Url) { ExpectStatus = [200] });

        Assert.Equal(TaskOutcomeStatus.Succeeded, accepted.Status);
        Assert.Equal(404, accepted.HttpStatus);
        Assert.Equal(TaskOutcomeStatus.Failed, rejected.Status);
        Assert.Equal(TaskOutcomeStatus.Failed, createdNotExpected.Status);
        Assert.Equal(201, createdNotExpected.HttpStatus);
    }

    [Fact]
    public async Task ExecuteAsync_EndlessBody_ReadsOnlyUpToTheLimit()
    {
        // The server streams until the client hangs up: reading the whole body would never end.
        _server.Handler = async (context, stopping) =>
        {
            context.Response.SendChunked = true;
            var chunk = Encoding.UTF8.GetBytes(new string('z', 8192));
            while (!stopping.IsCancellationRequested)
            {
                await context.Response.OutputStream.WriteAsync(chunk, stopping);
            }
        };

        var outcome = await Run(new HttpSpec("GET", _server.Url), outputLimit: 1000);

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.True(outcome.OutputTruncated);
        Assert.StartsWith(new string('z', 1000) + "\n…[output truncated:", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('z', 1001), outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_BodyOverLimitWithContentLength_ReportsRealSize()
    {
        _server.Handler = (context, _) => Reply(context, 200, new string('q', 50_000));

        var outcome = await Run(new HttpSpec("GET", _server.Url), outputLimit: 10);

        Assert.Equal("qqqqqqqqqq\n…[output truncated: 50000 bytes, limit 10]", outcome.Output);
        Assert.True(outcome.OutputTruncated);
    }

    [Fact]
    public async Task ExecuteAsync_ConnectionRefused_FailsWithoutStatus()
    {
        var url = $"http://127.0.0.1:{TestHttpServer.FreePort()}/x";

        var outcome = await Run(new HttpSpec("GET", url));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Null(outcome.HttpStatus);
        Assert.StartsWith($"GET {url} failed: ", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("refused", outcome.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ExecuteAsync_RequestTimeout_TimesOut()
    {
        _server.Handler = (_, stopping) => Task.Delay(Timeout.Infinite, stopping);
        var watch = Stopwatch.StartNew();

        var outcome = await Run(new HttpSpec("GET", _server.Url) { Timeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(TaskOutcomeStatus.TimedOut, outcome.Status);
        Assert.Contains($"GET {_server.Url}", outcome.Error, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ExecuteAsync_InvocationCancelled_AbortsRequestAsCancelled()
    {
        var arrived = new TaskCompletionSource();
        _server.Handler = (_, stopping) =>
        {
            arrived.TrySetResult();
            return Task.Delay(Timeout.Infinite, stopping);
        };
        using var cts = new CancellationTokenSource();

        var running = _handler.ExecuteAsync(Invocations.For(new HttpSpec("GET", _server.Url), cancellationToken: cts.Token));
        await arrived.Task.WaitAsync(HardTimeout);
        await cts.CancelAsync();
        var outcome = await running.WithHardTimeout(HardTimeout);

        Assert.Equal(TaskOutcomeStatus.Cancelled, outcome.Status);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/x")]
    public async Task ExecuteAsync_InvalidUrl_FailsWithClearError(string url)
    {
        var outcome = await Run(new HttpSpec("GET", url));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.StartsWith($"invalid URL '{url}'", outcome.Error, StringComparison.Ordinal);
    }

    private static async Task Reply(HttpListenerContext context, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    private Task<TaskOutcome> Run(HttpSpec spec, IReadOnlyDictionary<string, string>? values = null, int outputLimit = OutputLimit.DefaultBytes) =>
        _handler.ExecuteAsync(Invocations.For(spec, values, outputLimit: outputLimit)).WithHardTimeout(HardTimeout);
}
