using System.Net;

namespace Weft.Server.Security;

/// <summary>Which <c>Host</c> names a server without an API token answers to. Without a token,
/// anyone whose request reaches the port can change runs, which is safe only while "anyone" is this
/// machine. DNS rebinding breaks that: a web page on <c>evil.example</c> re-points its own name at
/// 127.0.0.1, and the browser then sends it here with <c>Host: evil.example</c> (and a matching
/// Origin, so the CSRF check sees a same-origin request). The Host name is the one thing such a page
/// cannot choose, so it is checked: loopback names, the configured
/// <see cref="WeftServerOptions.AllowedHosts"/>, and with <see cref="WeftServerOptions.Insecure"/> any
/// IP address (a page can only reach an IP literal from its own origin, so it cannot be rebound).</summary>
internal static class HostCheck
{
    /// <summary>True when requests need the check at all: with a token, every change must carry it.</summary>
    public static bool Applies(WeftServerOptions options) => options.Token is null && !options.AllowedHosts.Contains("*");

    /// <summary>Whether <paramref name="host"/> (the Host header's name, without port) may be served.</summary>
    public static bool IsAllowed(string host, WeftServerOptions options)
    {
        if (!Applies(options))
        {
            return true;
        }

        if (host.Length == 0)
        {
            return false;
        }

        var bare = host.Trim('[', ']');
        if (string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (IPAddress.TryParse(bare, out var address) && (IPAddress.IsLoopback(address) || options.Insecure))
        {
            return true;
        }

        foreach (var allowed in options.AllowedHosts)
        {
            var name = allowed.Trim('[', ']');
            if (string.Equals(name, bare, StringComparison.OrdinalIgnoreCase)
                || (name.StartsWith("*.", StringComparison.Ordinal) && bare.EndsWith(name[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The errors in <paramref name="hosts"/>: each must be a bare name or address, <c>*.name</c> or <c>*</c>.</summary>
    public static IEnumerable<string> Validate(IEnumerable<string> hosts)
    {
        foreach (var host in hosts)
        {
            var bare = host.Trim('[', ']');
            var name = bare.StartsWith("*.", StringComparison.Ordinal) ? bare[2..] : bare;
            if (host == "*" || IPAddress.TryParse(bare, out _) || Uri.CheckHostName(name) == UriHostNameType.Dns)
            {
                continue;
            }

            yield return $"Weft:AllowedHosts: '{host}' is not a host name (give names such as weft.example.com or *.example.com, without scheme, port or path)";
        }
    }
}
