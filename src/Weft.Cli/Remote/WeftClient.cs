using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Weft.Cli.Remote;

/// <summary>The CLI's client of a Weft server's REST API (<c>--server URL</c>). Mutations carry the
/// CSRF header and, when <c>WEFT_API_TOKEN</c> is set, the bearer token. Every failure becomes a
/// <see cref="RemoteProblem"/> with the server's own message.</summary>
internal sealed class WeftClient : IDisposable
{
    public const string TokenVariable = "WEFT_API_TOKEN";

    private readonly HttpClient _http;

    public WeftClient(string server, string? token = null)
    {
        if (!Uri.TryCreate(server.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new RemoteProblem(400, $"--server must be an http(s) URL such as http://127.0.0.1:5080, not '{server}'", []);
        }

        _http = new HttpClient { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Add("X-Weft-Request", "1");
        token ??= Environment.GetEnvironmentVariable(TokenVariable);
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>POST /api/runs; the run's id, and whether the server found it already started under the dedup key.</summary>
    public async Task<(string RunId, bool Deduplicated)> SubmitAsync(RemoteSubmission submission, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Post, "api/runs", new
        {
            definition = submission.Definition,
            fileName = submission.FileName is { } name ? Path.GetFileName(name) : null,
            workflow = submission.Workflow,
            @params = submission.Parameters,
            priority = submission.Priority?.ToString().ToLowerInvariant(),
            dedupKey = submission.DedupKey,
            notBefore = submission.NotBefore,
            triggeredBy = CliOrigin.Name,
        }, ct).ConfigureAwait(false);
        return (body.GetProperty("runId").GetString()!, body.TryGetProperty("deduplicated", out var d) && d.ValueKind == JsonValueKind.True);
    }

    public async Task<RunSnapshot> GetRunAsync(string runId, CancellationToken ct) =>
        RemoteJson.ToSnapshot(await SendAsync(HttpMethod.Get, $"api/runs/{Uri.EscapeDataString(runId)}", null, ct).ConfigureAwait(false));

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Post, path, null, ct);

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    /// <summary>A run's events from the server's SSE stream, ending after run_finished.</summary>
    public async IAsyncEnumerable<RunEvent> WatchAsync(string runId, [EnumeratorCancellation] CancellationToken ct)
    {
        using var response = await Guard(() => _http.GetAsync($"api/runs/{Uri.EscapeDataString(runId)}/events", HttpCompletionOption.ResponseHeadersRead, ct)).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, ct).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && RemoteJson.ToEvent(JsonDocument.Parse(line[6..]).RootElement) is { } e)
            {
                yield return e;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Guard(() => _http.SendAsync(request, ct)).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, ct).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> Guard(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RemoteProblem(0, $"cannot reach the Weft server at {_http.BaseAddress}: {ex.Message}", []);
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var message = $"the server answered {status} {response.ReasonPhrase}";
        var errors = new List<string>();
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
            if (problem.TryGetProperty("detail", out var detail) && detail.GetString() is { } d)
            {
                message = d;
            }

            if (problem.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                errors.AddRange(fields.EnumerateObject().SelectMany(f => f.Value.EnumerateArray().Select(e => e.GetString() ?? "")));
            }
        }
        catch (JsonException)
        {
            // Not a problem document; the status line says enough.
        }

        // 503 (memory critical, queue full) says when to come back; passing that on beats a bare refusal.
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            message += $" (the server asks to retry after {delta.TotalSeconds:0} s)";
        }

        throw new RemoteProblem(status, message, errors);
    }
}
