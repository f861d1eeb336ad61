namespace Weft.Storage;

/// <summary>Loads the 32-byte key that encrypts outputs and secret parameters at rest (AES-256-GCM).
/// Keys come from the environment rather than a command-line flag so they stay out of shell history
/// and process listings.</summary>
public static class EncryptionKey
{
    /// <summary>Key length in bytes (AES-256).</summary>
    public const int Length = 32;
    /// <summary>The environment variable holding the key as base64 of 32 bytes.</summary>
    public const string Variable = "WEFT_ENCRYPTION_KEY";
    /// <summary>The environment variable naming a file that holds the key (32 raw bytes, or their base64).</summary>
    public const string FileVariable = "WEFT_ENCRYPTION_KEY_FILE";

    /// <summary>The key from <c>WEFT_ENCRYPTION_KEY</c> (base64 of 32 bytes) or
    /// <c>WEFT_ENCRYPTION_KEY_FILE</c> (a file holding that base64, or 32 raw bytes); null when
    /// neither is set. A malformed key throws <see cref="WeftStoreException"/>, never a shorter key.</summary>
    public static byte[]? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            return Parse(text, Variable);
        }

        var file = Environment.GetEnvironmentVariable(FileVariable);
        return string.IsNullOrWhiteSpace(file) ? null : FromFile(file);
    }

    /// <summary>Reads a key file: 32 raw bytes, or base64 text of 32 bytes.</summary>
    public static byte[] FromFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeftStoreException($"cannot read the encryption key file {path} ({FileVariable}): {e.Message}", e);
        }

        if (bytes.Length == Length)
        {
            return bytes;
        }

        return Parse(System.Text.Encoding.ASCII.GetString(bytes), $"the key file {path}");
    }

    /// <summary>Decodes base64 text of exactly 32 bytes; <paramref name="source"/> names where it came from.</summary>
    public static byte[] Parse(string base64, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new WeftStoreException($"the encryption key in {source} is not valid base64; expected base64 of {Length} random bytes (e.g. `openssl rand -base64 32`)");
        }

        if (key.Length != Length)
        {
            throw new WeftStoreException($"the encryption key in {source} is {key.Length} bytes; expected {Length} (e.g. `openssl rand -base64 32`)");
        }

        return key;
    }
}
