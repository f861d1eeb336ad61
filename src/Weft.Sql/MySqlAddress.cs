using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Weft.Configuration;

namespace Weft.Sql;

/// <summary>Where a MySQL or MariaDB connection points: <c>mysql://user:password@host:port/database?Keyword=value</c>
/// (also <c>mariadb://</c>; query parameters are MySqlConnector keywords such as <c>SslMode</c>) or
/// MySqlConnector's keyword form (<c>Server=h;Port=3306;Database=d;User ID=u;Password=p</c>). A message
/// never repeats the text or a value that may be a password.</summary>
internal static class MySqlAddress
{
    private const int DefaultPort = 3306;

    private static readonly string[] Schemes = ["mysql://", "mariadb://"];

    /// <summary>True for the URL forms, which choose the provider themselves.</summary>
    public static bool IsUri(string text) => Schemes.Any(s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>The target <paramref name="text"/> names, or null with <paramref name="error"/>.</summary>
    public static SqlTarget? TryParse(string text, out string? error)
    {
        var isUri = IsUri(text);
        var builder = new MySqlConnectionStringBuilder();
        error = isUri ? FromUri(text, builder) : FromKeywords(text, builder);
        if (error is null && string.IsNullOrWhiteSpace(builder.Server))
        {
            error = isUri ? "the URL names no host (mysql://user:password@HOST:port/database)" : "the connection string has no Server=…";
        }

        if (error is not null)
        {
            return null;
        }

        try
        {
            return new SqlTarget(ConnectionProvider.Mysql, builder.ConnectionString, $"mysql://{builder.Server}:{builder.Port}/{builder.Database}");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            error = "the port is not a number from 1 to 65535";
            return null;
        }
    }

    private static string? FromUri(string text, MySqlConnectionStringBuilder builder)
    {
        var scheme = text[..text.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant();
        if (HostOf(text[(scheme.Length + 3)..]).Length == 0)
        {
            return null; // TryParse says the host is missing
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.HostNameType == UriHostNameType.Unknown && uri.Host.Length > 0))
        {
            return $"not a valid {scheme}:// URL; expected {scheme}://user:password@host:port/database";
        }

        var url = Storage.DatabaseUrl.Of(uri, DefaultPort);
        builder.Server = url.Host;
        builder.Port = (uint)url.Port;
        if (url.User is { } user)
        {
            builder.UserID = user;
        }

        if (url.Password is { } password)
        {
            builder.Password = password;
        }

        if (url.Database is not { } database)
        {
            return $"the URL path '/{url.Path}' is not a database name; expected {scheme}://host:port/database";
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var (key, value) in url.Options)
        {
            if (Set(builder, key, value) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    // The authority's host: after any user info, before any port, path or query.
    private static string HostOf(string rest)
    {
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        return host.StartsWith('[') ? host : host.Split(':')[0];
    }

    private static string? FromKeywords(string text, MySqlConnectionStringBuilder builder)
    {
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = text;
        }
        catch (ArgumentException)
        {
            return "neither a mysql:// URL nor a keyword connection string (Server=…;Database=…;User ID=…)";
        }

        if (generic.Count == 0)
        {
            return "the connection string is empty; expected mysql://user:password@host:port/database";
        }

        foreach (string key in generic.Keys)
        {
            if (Set(builder, key, Convert.ToString(generic[key], CultureInfo.InvariantCulture) ?? "") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? Set(MySqlConnectionStringBuilder builder, string key, string value)
    {
        if (!builder.ContainsKey(key) && !IsKnown(key))
        {
            return $"unknown connection parameter '{key}'";
        }

        try
        {
            builder[key] = value;
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            var secret = key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Equals("pwd", StringComparison.OrdinalIgnoreCase);
            return $"connection parameter '{key}' has an invalid value '{(secret ? "***" : value)}'";
        }
    }

    // MySqlConnector accepts a keyword it knows (in any of its spellings) and rejects others.
    private static bool IsKnown(string key)
    {
        try
        {
            _ = new MySqlConnectionStringBuilder()[key];
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
