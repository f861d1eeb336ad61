using System.Text;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Handlers;

/// <summary>Builds the request of an <see cref="HttpSpec"/>, templates rendered.</summary>
internal static class HttpRequestFactory
{
    /// <summary>Throws <see cref="InvalidRequestException"/> for a bad method, URL or header, and
    /// <see cref="TemplateResolutionException"/> for a template that cannot be resolved.</summary>
    public static HttpRequestMessage Create(HttpSpec spec, TaskInvocation invocation)
    {
        var method = invocation.Render(spec.Method).Trim().ToUpperInvariant();
        var url = invocation.Render(spec.Url).Trim();
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
            if (spec.Body is not null)
            {
                request.Content = new StringContent(invocation.Render(spec.Body), Encoding.UTF8);

                // StringContent says text/plain; a Content-Type header in the spec replaces it.
                if (spec.Headers?.Keys.Any(k => k.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) == true)
                {
                    request.Content.Headers.ContentType = null;
                }
            }

            foreach (var (name, value) in spec.Headers ?? new Dictionary<string, string>())
            {
                var rendered = invocation.Render(value);
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

    /// <summary>The spec cannot make a valid request.</summary>
    internal sealed class InvalidRequestException(string message) : Exception(message);
}
