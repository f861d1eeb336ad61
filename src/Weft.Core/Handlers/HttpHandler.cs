using System.Buffers;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Handlers;

/// <summary>Runs <see cref="HttpSpec"/> tasks with a shared, pooled <see cref="HttpClient"/> (<see cref="HttpClients"/>).
/// Output is the response body as text, read only up to the output limit.</summary>
internal sealed class HttpHandler : ITaskHandler
{
    // Every engine has this handler, most runs have no http: task: the client (System.Net.Http, its
    // handler, the decompressors, all loaded at a process's start) is made when the first one runs.
    private readonly Lazy<HttpClient> _client;
    private readonly TimeSpan? _defaultTimeout;

    public HttpHandler()
        : this(new HttpOptions())
    {
    }

    internal HttpHandler(HttpOptions options)
    {
        _client = new Lazy<HttpClient>(() => HttpClients.For(options));
        _defaultTimeout = options.DefaultRequestTimeout;
    }

    internal HttpHandler(HttpClient client, TimeSpan? defaultTimeout)
    {
        _client = new Lazy<HttpClient>(client);
        _defaultTimeout = defaultTimeout;
    }

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
            // Without a limit a server that never finishes its response would hold the task (and its
            // slot) forever. The engine's clock, so the limit holds in tests on a fake clock too.
            var limit = spec.Timeout ?? _defaultTimeout;
            using var timeout = limit is { } due
                ? Scheduling.LongTimers.CancelAfter(due, invocation.TimeProvider)
                : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(invocation.CancellationToken, timeout.Token);
            try
            {
                using var response = await _client.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
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
                var which = spec.Timeout is null ? "the default request timeout, Http.DefaultRequestTimeout" : "the task's timeout";
                return TaskOutcome.TimedOut($"no response within {Describe(limit!.Value)} ({which}) from {target}");
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

    /// <summary>"100 s" rather than "1m40s": the figure a user compares with what they configured.</summary>
    private static string Describe(TimeSpan limit) =>
        limit >= TimeSpan.FromSeconds(1) && limit.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{(long)limit.TotalSeconds} s"
            : Definitions.Durations.Format(limit);

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
