using System.Buffers;
using System.Net;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Handlers;

/// <summary>Runs <see cref="HttpSpec"/> tasks with one shared, pooled <see cref="HttpClient"/>.
/// Output is the response body as text, read only up to the output limit.</summary>
internal sealed class HttpHandler : ITaskHandler
{
    // One client for the process: a client per task would exhaust sockets (TIME_WAIT); a client that
    // lives forever would never see DNS changes, hence PooledConnectionLifetime.
    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = DecompressionMethods.All,
    })
    {
        // Timeouts are per task (HttpSpec.Timeout and the invocation token), not per client.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly HttpClient _client;

    public HttpHandler()
        : this(SharedClient)
    {
    }

    internal HttpHandler(HttpClient client) => _client = client;

    public string Kind => "http";

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        var spec = (HttpSpec)invocation.Spec;
        HttpRequestMessage request;
        try
        {
            request = HttpRequestFactory.Create(spec, invocation);
        }
        catch (Exception ex) when (ex is TemplateResolutionException or HttpRequestFactory.InvalidRequestException)
        {
            return TaskOutcome.Failed(ex.Message);
        }

        using (request)
        {
            var target = $"{request.Method} {HttpRequestFactory.Describe(request.RequestUri!)}";
            using var timeout = spec.Timeout is { } limit
                ? Scheduling.LongTimers.CancelAfter(limit, invocation.TimeProvider)
                : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(invocation.CancellationToken, timeout.Token);
            try
            {
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                    .ConfigureAwait(false);
                var body = await ReadBodyAsync(response, invocation.OutputLimit, linked.Token).ConfigureAwait(false);
                return ToOutcome(spec, response, body, target);
            }
            catch (OperationCanceledException) when (invocation.CancellationToken.IsCancellationRequested)
            {
                return TaskOutcome.Cancelled();
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return TaskOutcome.TimedOut($"no response within {spec.Timeout} from {target}");
            }
            catch (HttpRequestException ex)
            {
                // Connection refused, DNS failure, TLS error...: no status to report.
                return TaskOutcome.Failed($"{target} failed: {ex.Message}");
            }
            catch (IOException ex)
            {
                // The connection broke while the body was being read.
                return TaskOutcome.Failed($"{target} failed while reading the response: {ex.Message}");
            }
        }
    }

    private static TaskOutcome ToOutcome(HttpSpec spec, HttpResponseMessage response, (string Text, bool Truncated) body, string target)
    {
        var status = (int)response.StatusCode;
        var expected = spec.ExpectStatus is { } list ? list.Contains(status) : status is >= 200 and <= 299;
        var output = body.Text.Length == 0 ? null : body.Text;
        if (expected)
        {
            return TaskOutcome.Succeeded(output, body.Truncated) with { HttpStatus = status };
        }

        var reason = string.IsNullOrEmpty(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase;
        return TaskOutcome.Failed($"HTTP {status} {reason} from {target}", httpStatus: status) with
        {
            // The body of an error response usually says why; keep it (bounded) with the attempt.
            Output = output,
            OutputTruncated = body.Truncated,
        };
    }

    private static async Task<(string Text, bool Truncated)> ReadBodyAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        var collector = new BoundedTextCollector(limit);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                // Stop as soon as the limit is decided: a huge (or endless) body is never loaded.
                int read;
                while (!collector.IsFull && (read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    collector.Append(buffer.AsSpan(0, read));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        var text = collector.ToText(trimTrailingNewlines: false, out var truncated, response.Content.Headers.ContentLength);
        return (text, truncated);
    }
}
