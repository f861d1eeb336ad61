namespace Weft.Configuration;

/// <summary>The <c>server:</c> section: what <c>weft server</c> takes as <c>--urls</c>, <c>--token</c>,
/// <c>--insecure</c>, <c>--allowed-hosts</c>, <c>--read-only</c> and <c>--workflows</c>; a flag wins.</summary>
public sealed class ServerSettings
{
    /// <summary>Where to listen. Empty: the built-in default (loopback).</summary>
    public IList<string> Urls { get; } = [];

    /// <summary>The API token (at least 8 characters). A secret: <c>weft config show</c> masks it.</summary>
    public string? Token { get; set; }

    /// <summary>Allow the API on a non-loopback address without a token (not recommended).</summary>
    public bool Insecure { get; set; }

    /// <summary>Host header values accepted besides the listen addresses (a reverse proxy's name).</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Serve reads only: no submissions, cancels or changes, and no runs taken up.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>A folder of workflow files registered at start.</summary>
    public string? Workflows { get; set; }

    internal IEnumerable<(string Path, string Message)> Validate()
    {
        if (Token is { Length: < 8 })
        {
            yield return ("server:token", "must be at least 8 characters long");
        }

        foreach (var url in Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return ("server:urls", $"'{url}' is not an http:// or https:// URL");
            }
        }
    }
}
