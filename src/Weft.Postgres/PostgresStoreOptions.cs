using Weft.Storage;

namespace Weft.Postgres;

/// <summary>Where and how <see cref="PostgresStore"/> keeps its tables. Checked once, by
/// <see cref="PostgresStore.OpenAsync"/>, which reports every problem together.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The schema name used when neither <see cref="Schema"/> nor the connection string's
    /// <c>schema</c> parameter names one.</summary>
    public const string DefaultSchema = "weft";

    /// <summary>A <c>postgres://user:password@host:port/database?schema=x&amp;sslmode=require</c> URI
    /// (or <c>postgresql://…</c>), or an Npgsql keyword string (<c>Host=…;Database=…</c>); see
    /// <see cref="PostgresConnection.Parse"/>. Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema holding Weft's tables, created when missing; several Weft clusters can share one
    /// database in different schemas. Null (the default): the connection string's <c>schema</c>
    /// parameter, else <c>weft</c>. Lowercase letters, digits and <c>_</c>, starting with a letter or
    /// <c>_</c>, at most 40 characters (it also prefixes the cluster's NOTIFY channel names).</summary>
    public string? Schema { get; set; }

    /// <summary>32 bytes (AES-256-GCM) that encrypt attempt outputs, stderr, secret parameter values and
    /// queued task payloads at rest; null (the default) stores them in clear. See
    /// <see cref="Storage.EncryptionKey"/> for loading it from the environment.</summary>
    public byte[]? EncryptionKey { get; set; }

    /// <summary>Outputs, stderr and definitions larger than this many UTF-8 bytes are stored
    /// Brotli-compressed. Default 1024; 0 compresses everything that shrinks.</summary>
    public int CompressionThreshold { get; set; } = 1024;

    /// <summary>Validates every option; on success returns the parsed connection and schema.</summary>
    internal (PostgresConnection? Connection, IReadOnlyList<string> Errors) Validate()
    {
        var errors = new List<string>();
        PostgresConnection? connection = null;
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("PostgresStoreOptions.ConnectionString is required");
        }
        else if (!PostgresConnection.TryParse(ConnectionString, out connection, out var error))
        {
            errors.Add("PostgresStoreOptions.ConnectionString: " + error);
        }

        if (Schema is not null && PostgresConnection.CheckSchema(Schema) is { } schemaError)
        {
            errors.Add("PostgresStoreOptions.Schema: " + schemaError);
        }

        if (EncryptionKey is { Length: not Storage.EncryptionKey.Length } key)
        {
            errors.Add($"PostgresStoreOptions.EncryptionKey is {key.Length} bytes; it must be {Storage.EncryptionKey.Length}");
        }

        if (CompressionThreshold < 0)
        {
            errors.Add($"PostgresStoreOptions.CompressionThreshold is {CompressionThreshold}; it must be 0 or more");
        }

        if (errors.Count > 0 || connection is null)
        {
            return (null, errors);
        }

        return (Schema is null ? connection : connection with { Schema = Schema }, errors);
    }
}
