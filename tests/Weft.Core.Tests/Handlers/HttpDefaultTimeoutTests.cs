using System.Text;
using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;
using Weft.Scheduling;

namespace Weft.Tests.Handlers;

/// <summary>An <c>http</c> task without a <c>timeout</c> against a server that starts its response and
/// never finishes it: the default request timeout ends the attempt, on the engine's clock.</summary>
public sealed class HttpDefaultTimeoutTests : IDisposable
{
    private static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(10);
    private readonly TaskCompletionSource _answering = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TestHttpServer _server;

    public HttpDefaultTimeoutTests() => _server = new(async (context, stopping) =>
    {
        // Headers and the first bytes of a body, then nothing: the response never ends.
        context.Response.SendChunked = true;
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes("partial"), stopping);
        await context.Response.OutputStream.FlushAsync(stopping);
        _answering.TrySetResult();
        await Task.Delay(Timeout.Infinite, stopping);
    });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task NoTaskTimeout_ServerNeverFinishes_TimesOutAfterTheDefault100Seconds()
    {
        var clock = new FakeTimeProvider();
        var handler = new HttpHandler(new HttpOptions());

        var running = Start(handler, new HttpSpec("GET", _server.Url + "slow?key=secret"), clock);
        await _answering.Task.WaitAsync(HardTimeout);
        clock.Advance(TimeSpan.FromSeconds(99));
        await Task.Delay(100); // a chance to end early, which it must not take
        Assert.False(running.IsCompleted, "the request ended before its 100 s");
        clock.Advance(TimeSpan.FromSeconds(1));
        var outcome = await running.WaitAsync(HardTimeout);

        Assert.Equal(TaskOutcomeStatus.TimedOut, outcome.Status);
        Assert.Equal(
            $"no response within 100 s (the default request timeout, Http.DefaultRequestTimeout) from GET {_server.Url}slow",
            outcome.Error);
        Assert.True(RetryClassifier.Matches([new RetryCondition(RetryConditionKind.Timeout)], outcome), "retryOn: [timeout] must retry it");
    }

    [Fact]
    public async Task ConfiguredDefault_IsUsed_AndTheTaskTimeoutWinsOverIt()
    {
        var clock = new FakeTimeProvider();
        var handler = new HttpHandler(new HttpOptions { DefaultRequestTimeout = TimeSpan.FromSeconds(5) });

        var byDefault = Start(handler, new HttpSpec("GET", _server.Url), clock);
        await _answering.Task.WaitAsync(HardTimeout);
        clock.Advance(TimeSpan.FromSeconds(5));
        var first = await byDefault.WaitAsync(HardTimeout);

        var ownTimeout = Start(handler, new HttpSpec("GET", _server.Url) { Timeout = TimeSpan.FromMinutes(10) }, clock);
        await WaitForRequests(2);
        clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.False(ownTimeout.IsCompleted, "the task's own 10m timeout must win over the default");
        clock.Advance(TimeSpan.FromMinutes(10));
        var second = await ownTimeout.WaitAsync(HardTimeout);

        Assert.Equal(TaskOutcomeStatus.TimedOut, first.Status);
        Assert.StartsWith("no response within 5 s (the default request timeout", first.Error, StringComparison.Ordinal);
        Assert.Equal(TaskOutcomeStatus.TimedOut, second.Status);
        Assert.StartsWith("no response within 600 s (the task's timeout)", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadHttpOptions_AreRefusedWithTheirName()
    {
        var error = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o =>
        {
            o.Http.DefaultRequestTimeout = TimeSpan.Zero;
            o.Http.MaxConnectionsPerServer = 0;
        }));

        Assert.Contains(error.Errors, e => e.StartsWith("Http.DefaultRequestTimeout: timeout must be more than zero", StringComparison.Ordinal));
        Assert.Contains("Http.MaxConnectionsPerServer must be at least 1 (was 0)", error.Errors);
    }

    private static Task<TaskOutcome> Start(HttpHandler handler, HttpSpec spec, TimeProvider clock) =>
        handler.ExecuteAsync(Invocations.For(spec) with { TimeProvider = clock }).AsTask();

    private async Task WaitForRequests(int count)
    {
        var until = DateTime.UtcNow + HardTimeout;
        while (true)
        {
            lock (_server.Requests)
            {
                if (_server.Requests.Count >= count)
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < until, $"the server did not see {count} requests");
            await Task.Delay(10);
        }
    }
}
