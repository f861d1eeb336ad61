namespace Weft.Storage;

/// <summary>The parts of a database URL (<c>scheme://user:password@host:port/database?key=value&amp;…</c>),
/// unescaped. The PostgreSQL store and the sql kind's providers read their URLs through it, so a
/// password with an escaped character or a query option means the same in every one.</summary>
internal sealed record DatabaseUrl(string Host, int Port, string? User, string? Password, string Path, IReadOnlyList<KeyValuePair<string, string>> Options)
{
    /// <summary>The database the path names; null when the path has more than one segment.</summary>
    public string? Database => Path.Contains('/', StringComparison.Ordinal) ? null : Path;

    public static DatabaseUrl Of(Uri uri, int defaultPort)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var options = new List<KeyValuePair<string, string>>();
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            options.Add(new(key, value));
        }

        // A scheme .NET does not know has no default port: Port is -1 when the URL gives none.
        var port = uri.Port > 0 ? uri.Port : defaultPort;
        return new DatabaseUrl(uri.IdnHost.Trim('[', ']'), port, user, password, Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')), options);
    }
}
