using System.Text;
using Weft.Execution;
using Weft.Templates;

namespace Weft.Handlers;

/// <summary>Renders an http task's URL so that a template value cannot change which resource is
/// addressed beyond its own place in it:
/// <list type="bullet">
/// <item>a value that starts the URL is the base and must itself be an absolute http(s) URL
/// (<c>{{ params.base }}/hello.txt</c>);</item>
/// <item>a value in the host may hold only host characters;</item>
/// <item>a value after the host (path, query, fragment) is percent-encoded as one path segment or
/// one query value: <c>/</c>, <c>?</c>, <c>#</c>, <c>&amp;</c>, <c>=</c> in it are data. A value that
/// would make a whole <c>.</c> or <c>..</c> path segment is refused (the URL parser would climb).</item>
/// </list>
/// <c>{{ EXPR | raw }}</c> opts out for one value: it goes in as written.</summary>
internal static class HttpUrlRenderer
{
    /// <summary>Throws <see cref="HttpRequestFactory.InvalidRequestException"/> for a value that may
    /// not stand where it is, <see cref="TemplateResolutionException"/> for one that cannot be resolved.</summary>
    public static string Render(string url, ITemplateValues values)
    {
        if (!Template.MayContainReferences(url))
        {
            return url;
        }

        var sb = new StringBuilder(url.Length + 32);
        List<(int Start, int End, TemplateReference Reference)> encoded = [];
        foreach (var segment in Template.Parse(url).Segments)
        {
            if (segment.Reference is not { } reference)
            {
                sb.Append(segment.Literal);
                continue;
            }

            var value = values.Resolve(reference);
            if (reference.Raw)
            {
                sb.Append(value);
                continue;
            }

            switch (PartAt(sb.ToString()))
            {
                case UrlPart.Start:
                    RequireBase(value, reference);
                    sb.Append(value);
                    break;
                case UrlPart.Scheme:
                    throw new HttpRequestFactory.InvalidRequestException(
                        $"{{{{ {reference} }}}} stands inside the URL's scheme; give the whole base URL in one value ({{{{ {reference} }}}}/path), or write {{{{ {reference} | raw }}}}");
                case UrlPart.Host:
                    RequireHost(value, reference);
                    sb.Append(value);
                    break;
                default:
                    var start = sb.Length;
                    sb.Append(Uri.EscapeDataString(value));
                    encoded.Add((start, sb.Length, reference));
                    break;
            }
        }

        var text = sb.ToString();
        RefuseDotSegments(text, encoded);
        return text;
    }

    private enum UrlPart
    {
        Start,
        Scheme,
        Host,
        AfterHost,
    }

    private static UrlPart PartAt(string before)
    {
        if (string.IsNullOrWhiteSpace(before))
        {
            return UrlPart.Start;
        }

        var scheme = before.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return UrlPart.Scheme;
        }

        return before.IndexOfAny(['/', '?', '#'], scheme + 3) < 0 ? UrlPart.Host : UrlPart.AfterHost;
    }

    private static void RequireBase(string value, TemplateReference reference)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new HttpRequestFactory.InvalidRequestException(
                $"{{{{ {reference} }}}} starts the URL, so its value must be an absolute http:// or https:// URL, not '{Shorten(value)}'");
        }
    }

    private static void RequireHost(string value, TemplateReference reference)
    {
        if (value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':'))
        {
            throw new HttpRequestFactory.InvalidRequestException(
                $"{{{{ {reference} }}}} stands in the URL's host, where its value may hold only letters, digits, '.', '-' and ':', not '{Shorten(value)}'");
        }
    }

    /// <summary>The URL parser removes <c>.</c> and <c>..</c> segments (also spelled <c>%2E</c>), so a
    /// value that makes one would move the request up the path despite the encoding.</summary>
    private static void RefuseDotSegments(string url, List<(int Start, int End, TemplateReference Reference)> encoded)
    {
        if (encoded.Count == 0)
        {
            return;
        }

        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = scheme < 0 ? -1 : url.IndexOfAny(['/', '?', '#'], scheme + 3);
        if (pathStart < 0 || url[pathStart] != '/')
        {
            return;
        }

        var pathEnd = url.IndexOfAny(['?', '#'], pathStart);
        pathEnd = pathEnd < 0 ? url.Length : pathEnd;
        foreach (var (start, end, reference) in encoded)
        {
            if (start >= pathEnd)
            {
                continue;
            }

            var segmentStart = url.LastIndexOf('/', start - 1) + 1;
            var segmentEnd = url.IndexOf('/', end);
            segmentEnd = segmentEnd < 0 || segmentEnd > pathEnd ? pathEnd : segmentEnd;
            var segment = url[segmentStart..segmentEnd].Replace("%2E", ".", StringComparison.OrdinalIgnoreCase);
            if (segment is "." or "..")
            {
                throw new HttpRequestFactory.InvalidRequestException(
                    $"{{{{ {reference} }}}} makes the URL path segment '{segment}', which would move the request to another path");
            }
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
