using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Weft.Server;

/// <summary>Mounts the dashboard: a small vanilla-JS front end embedded in this assembly (no CDN, no
/// build step) that reads the API. It pages runs 50 at a time, so it loads as fast with 10,000 runs
/// in the store as with ten.</summary>
public static class WeftDashboardEndpoints
{
    private static readonly Assembly Assembly = typeof(WeftDashboardEndpoints).Assembly;

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>Maps the dashboard under <paramref name="prefix"/> (default <c>/dashboard</c>), reading
    /// the API mounted at <paramref name="apiPrefix"/>.</summary>
    public static IEndpointConventionBuilder MapWeftDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/dashboard", string apiPrefix = "/api")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var index = Read("index.html").Replace("{{API}}", apiPrefix.TrimEnd('/'), StringComparison.Ordinal);
        var group = endpoints.MapGroup(prefix).ExcludeFromDescription();
        group.MapGet("/", (HttpContext context) =>
            // Without the trailing slash the page's relative script and style links would resolve
            // outside the dashboard (an unstyled page stuck on "Loading…"): send the browser to it.
            context.Request.Path.Value is { } path && !path.EndsWith('/')
                ? Results.Redirect($"{context.Request.PathBase}{path}/{context.Request.QueryString}")
                : Send(context, index, ContentTypes[".html"]));
        group.MapGet("/{file}", (string file, HttpContext context) =>
            file == "index.html" ? Send(context, index, ContentTypes[".html"])
            : ContentTypes.TryGetValue(Path.GetExtension(file), out var type) && TryRead(file) is { } text ? Send(context, text, type)
            : Results.NotFound());
        return group;
    }

    private static IResult Send(HttpContext context, string text, string contentType)
    {
        // The page's own script only; no inline scripts or third-party origins, so injected markup cannot run.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Text(text, contentType);
    }

    private static string Read(string file) => TryRead(file) ?? throw new InvalidOperationException($"dashboard file '{file}' is not embedded");

    private static string? TryRead(string file)
    {
        using var stream = Assembly.GetManifestResourceStream("dashboard/" + file);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
