using Microsoft.AspNetCore.Http;

namespace Weft.Server.Api;

/// <summary>Location headers relative to wherever the API is mounted (MapWeftApi takes any prefix).</summary>
internal static class Locations
{
    /// <summary>The API's base path for a request to <c>{base}/{section}/…</c>, plus <paramref name="relative"/>.</summary>
    public static string Of(HttpContext context, string section, string relative)
    {
        var path = context.Request.Path.Value ?? "";
        var at = path.IndexOf("/" + section, StringComparison.Ordinal);
        return $"{context.Request.PathBase}{(at < 0 ? "/api" : path[..at])}/{relative}";
    }
}
