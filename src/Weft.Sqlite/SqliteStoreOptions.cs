using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>Where and how <see cref="SqliteStore"/> keeps its database. Checked once, by
/// <see cref="SqliteStore.OpenAsync"/>, which reports every problem together.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file; its directory is created when missing. Required.</summary>
    public string Path { get; set; } = "";

    /// <summary>32 bytes (AES-256-GCM) that encrypt attempt outputs, stderr and secret parameter
    /// values at rest; null (the default) stores them in clear. See <see cref="Storage.EncryptionKey"/>
    /// for loading it from the environment.</summary>
    public byte[]? EncryptionKey { get; set; }

    /// <summary>Outputs, stderr and definitions larger than this many UTF-8 bytes are stored
    /// Brotli-compressed. Default 1024; 0 compresses everything that shrinks.</summary>
    public int CompressionThreshold { get; set; } = 1024;

    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Path))
        {
            errors.Add("SqliteStoreOptions.Path is required");
        }

        if (EncryptionKey is { Length: not Storage.EncryptionKey.Length } key)
        {
            errors.Add($"SqliteStoreOptions.EncryptionKey is {key.Length} bytes; it must be {Storage.EncryptionKey.Length}");
        }

        if (CompressionThreshold < 0)
        {
            errors.Add($"SqliteStoreOptions.CompressionThreshold is {CompressionThreshold}; it must be 0 or more");
        }

        return errors;
    }
}
