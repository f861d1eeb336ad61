using System.Net;

namespace Weft.Server.Security;

/// <summary>Refuses to serve an open API beyond this machine: listening on anything but loopback
/// needs a token, or <c>--insecure</c> said out loud.</summary>
internal static class ListenCheck
{
    /// <summary>The errors for <paramref name="urls"/>; empty when they are fine.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<string> urls, WeftServerOptions options)
    {
        if (options.Token is not null || options.Insecure)
        {
            return [];
        }

        return [.. urls.Where(u => !IsLoopback(u)).Select(u =>
            $"refusing to listen on {u} without an API token: pass --token (or set Weft:Token), or --insecure to run the API open to the network")];
    }

    public static bool IsLoopback(string url)
    {
        // Kestrel's wildcards ("http://*:80", "http://+:80") are not valid URI hosts; they mean every address.
        var host = Uri.TryCreate(url.Replace("://*", "://any-host", StringComparison.Ordinal).Replace("://+", "://any-host", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Host
            : url;
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
