using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Handlers;

/// <summary>Builds the request of an <see cref="HttpSpec"/>, templates rendered where they cannot
/// change the request's shape: URL values encoded by their place (<see cref="HttpUrlRenderer"/>),
/// header values refused when they hold a line break, <c>json:</c> body values JSON-escaped.</summary>
internal static class HttpRequestFactory
{
    // Relaxed: the body is JSON for an API, not HTML; quotes, backslashes and control characters are still escaped.
    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Throws <see cref="InvalidRequestException"/> for a bad method, URL or header, and
    /// <see cref="TemplateResolutionException"/> for a template that cannot be resolved.</summary>
    public static HttpRequestMessage Create(HttpSpec spec, TaskInvocation invocation)
    {
        var method = invocation.Render(spec.Method).Trim().ToUpperInvariant();
        var url = HttpUrlRenderer.Render(spec.Url, invocation.Values).Trim();
        if (method.Length == 0 || !method.All(char.IsAsciiLetter))
        {
            throw new InvalidRequestException($"invalid HTTP method '{method}'");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidRequestException($"invalid URL '{url}': expected an absolute http:// or https:// URL");
        }

        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        try
        {
            request.Content = CreateContent(spec, invocation);
            if (request.Content is not null
                && spec.Headers?.Keys.Any(k => k.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) == true)
            {
                // StringContent sets its own Content-Type; a Content-Type header in the spec replaces it.
                request.Content.Headers.ContentType = null;
            }

            foreach (var (name, value) in spec.Headers ?? new Dictionary<string, string>())
            {
                var rendered = invocation.Render(value);

                // A line break would end the header and start another (or a whole second request).
                if (rendered.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
                {
                    throw new InvalidRequestException($"the value of HTTP header '{name}' holds a line break; a header value must be one line");
                }

                if (!request.Headers.TryAddWithoutValidation(name, rendered)
                    && request.Content?.Headers.TryAddWithoutValidation(name, rendered) != true)
                {
                    throw new InvalidRequestException($"invalid HTTP header '{name}'");
                }
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>The URL for messages, without query string and user info: those often carry secrets,
    /// and errors reach logs and the dashboard.</summary>
    public static string Describe(Uri uri) =>
        uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    private static StringContent? CreateContent(HttpSpec spec, TaskInvocation invocation)
    {
        if (spec.Json is not null)
        {
            var body = RenderJson(spec.Json, invocation)?.ToJsonString(BodyJson) ?? "null";
            return new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (spec.Body is null)
        {
            return null;
        }

        // A text body that is a JSON object or array is what an API expects as application/json;
        // sent as text/plain most APIs would refuse it. A Content-Type header still decides.
        var text = invocation.Render(spec.Body);
        return new StringContent(text, Encoding.UTF8, IsJson(text) ? "application/json" : "text/plain");
    }

    private static bool IsJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] is not ('{' or '['))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A copy with each string rendered into a JSON string: whatever a value holds (quotes,
    /// braces), serializing escapes it, so it stays inside its string.</summary>
    private static JsonNode? RenderJson(JsonNode? node, TaskInvocation invocation) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, RenderJson(p.Value, invocation)))),
        JsonArray array => new JsonArray([.. array.Select(item => RenderJson(item, invocation))]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(invocation.Render(text)),
        _ => node?.DeepClone(),
    };

    /// <summary>The spec cannot make a valid request.</summary>
    internal sealed class InvalidRequestException(string message) : Exception(message);
}
