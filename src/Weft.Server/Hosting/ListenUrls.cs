using Microsoft.AspNetCore.Http;

namespace Weft.Server;

/// <summary>Checks the addresses to listen on before the server is built, so a mistyped
/// <c>--urls</c> gets one clear line instead of Kestrel's exception at start.</summary>
internal static class ListenUrls
{
    public static IEnumerable<string> Validate(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            if (Problem(url) is { } problem)
            {
                yield return $"--urls: '{url}' is not an address to listen on: {problem} (such as {WeftServerApp.DefaultUrl})";
            }
        }
    }

    private static string? Problem(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return "give scheme, host and port";
        }

        if (address.Scheme is not ("http" or "https"))
        {
            return $"the scheme must be http or https, not '{address.Scheme}'";
        }

        if (address.IsUnixPipe || address.IsNamedPipe)
        {
            return null;
        }

        if (string.IsNullOrEmpty(address.Host))
        {
            return "it names no host";
        }

        if (address.Port is < 0 or > 65535)
        {
            return $"port {address.Port} is out of range (0 to 65535)";
        }

        return address.PathBase is { Length: > 0 } path
            ? $"it must not have a path ('{path}'); give scheme, host and port only"
            : null;
    }
}
