using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace Weft.Postgres;

/// <summary>A parsed PostgreSQL store address: the Npgsql connection string and the schema that holds
/// Weft's tables. Accepts <c>postgres://user:password@host:port/database?schema=x&amp;sslmode=require</c>
/// (also <c>postgresql://</c>; query parameters other than <c>schema</c> are Npgsql connection-string
/// keywords such as <c>sslmode</c>, <c>timeout</c>, <c>application_name</c>) and the Npgsql keyword form
/// <c>Host=h;Port=5432;Database=d;Username=u;Password=p;Schema=x</c>.</summary>
public sealed partial record PostgresConnection
{
    private PostgresConnection(string connectionString, string schema, string description)
    {
        ConnectionString = connectionString;
        Schema = schema;
        Description = description;
    }

    /// <summary>The Npgsql connection string (keyword form, without the schema).</summary>
    public string ConnectionString { get; }

    /// <summary>The schema holding Weft's tables (default <see cref="PostgresStoreOptions.DefaultSchema"/>).</summary>
    public string Schema { get; init; }

    /// <summary>host:port/database, for messages: never the password.</summary>
    public string Description { get; }

    /// <summary><c>postgres://host:port/database (schema S)</c>: never the password.</summary>
    public override string ToString() => $"postgres://{Description} (schema {Schema})";

    /// <summary>Parses <paramref name="text"/>; a bad string throws <see cref="WeftConfigurationException"/>
    /// naming the bad part (and never echoing a password).</summary>
    public static PostgresConnection Parse(string text) =>
        TryParse(text, out var connection, out var error) ? connection : throw new WeftConfigurationException([error]);

    /// <summary>Parses <paramref name="text"/> like <see cref="Parse"/>; false (and <paramref name="error"/>) instead of throwing.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PostgresConnection? connection,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        connection = null;
        var trimmed = text.Trim();
        var isUri = trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder();
        string? schema;
        error = isUri ? FromUri(trimmed, builder, out schema) : FromKeywords(trimmed, builder, out schema);
        if (error is not null)
        {
            return false;
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            error = isUri ? "the URI names no host (postgres://user:password@HOST:port/database)" : "the connection string has no Host=…";
            return false;
        }

        schema ??= PostgresStoreOptions.DefaultSchema;
        if (CheckSchema(schema) is { } schemaError)
        {
            error = schemaError;
            return false;
        }

        var description = $"{builder.Host}:{builder.Port}/{builder.Database}";
        connection = new PostgresConnection(builder.ConnectionString, schema, description);
        return true;
    }

    /// <summary>Null when <paramref name="schema"/> is a usable schema name, else why not.</summary>
    public static string? CheckSchema(string schema) => SchemaName().IsMatch(schema)
        ? null
        : $"schema '{schema}' is not a valid name: use lowercase letters, digits and _, starting with a letter or _, at most 40 characters";

    private static string? FromUri(string text, NpgsqlConnectionStringBuilder builder, out string? schema)
    {
        schema = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return $"'{Redact(text)}' is not a valid URI; expected postgres://user:password@host:port/database?schema=name";
        }

        var url = Weft.Storage.DatabaseUrl.Of(uri, 5432);
        builder.Host = url.Host;
        builder.Port = url.Port;
        if (url.User is { } user)
        {
            builder.Username = user;
        }

        if (url.Password is { } password)
        {
            builder.Password = password;
        }

        if (url.Database is not { } database)
        {
            return $"the URI path '/{url.Path}' is not a database name; expected postgres://host:port/database";
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var (key, value) in url.Options)
        {
            if (key.Equals("schema", StringComparison.OrdinalIgnoreCase))
            {
                schema = value;
            }
            else if (Set(builder, key, value) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? FromKeywords(string text, NpgsqlConnectionStringBuilder builder, out string? schema)
    {
        schema = null;
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = text;
        }
        catch (ArgumentException)
        {
            return $"'{Redact(text)}' is neither a postgres:// URI nor a keyword connection string (Host=…;Database=…)";
        }

        if (generic.Count == 0)
        {
            return "the connection string is empty; expected postgres://user:password@host:port/database";
        }

        foreach (string key in generic.Keys)
        {
            var value = Convert.ToString(generic[key], System.Globalization.CultureInfo.InvariantCulture) ?? "";
            if (key.Equals("schema", StringComparison.OrdinalIgnoreCase))
            {
                schema = value;
            }
            else if (Set(builder, key, value) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? Set(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        try
        {
            builder[key] = value;
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            var shown = key.Contains("password", StringComparison.OrdinalIgnoreCase) ? "***" : value;
            return builder.ContainsKey(key) || e is not ArgumentException || e.Message.Contains("value", StringComparison.OrdinalIgnoreCase)
                ? $"connection parameter '{key}' has an invalid value '{shown}'"
                : $"unknown connection parameter '{key}'";
        }
    }

    /// <summary>The text with any password in a URI's user info replaced.</summary>
    private static string Redact(string text) => KeywordPassword().Replace(UriPassword().Replace(text, "$1***@"), "$1***");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$")]
    private static partial Regex SchemaName();

    [GeneratedRegex("(://[^:/@]*:)[^@]*@")]
    private static partial Regex UriPassword();

    [GeneratedRegex("(?i)(password\\s*=\\s*)[^;]*")]
    private static partial Regex KeywordPassword();
}
