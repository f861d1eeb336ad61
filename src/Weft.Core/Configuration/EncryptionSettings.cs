namespace Weft.Configuration;

/// <summary>Where the encryption key comes from.</summary>
public enum EncryptionKeySource
{
    /// <summary><c>WEFT_ENCRYPTION_KEY</c> or <c>WEFT_ENCRYPTION_KEY_FILE</c>, if set (today's behaviour).</summary>
    Environment,

    /// <summary>The file named by <see cref="EncryptionSettings.KeyFile"/>.</summary>
    File,

    /// <summary>No encryption at rest.</summary>
    None,
}

/// <summary>The <c>encryption:</c> section. The key itself never goes in the file: it names where the
/// key is, so the file can be shared and committed.</summary>
public sealed class EncryptionSettings
{
    /// <summary>Where the key that encrypts secret parameters at rest comes from. Default: the environment.</summary>
    public EncryptionKeySource KeySource { get; set; } = EncryptionKeySource.Environment;

    /// <summary>With <see cref="EncryptionKeySource.File"/>: a file holding 32 raw bytes or their base64.</summary>
    public string? KeyFile { get; set; }

    internal IEnumerable<(string Path, string Message)> Validate()
    {
        if (KeySource == EncryptionKeySource.File && string.IsNullOrWhiteSpace(KeyFile))
        {
            yield return ("encryption:keyFile", "is required when encryption.keySource is file");
        }
    }
}
