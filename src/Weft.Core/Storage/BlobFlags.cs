namespace Weft.Storage;

/// <summary>How one stored blob is encoded, kept next to it in a <c>*_flags</c> column so every
/// value says how to read it back (the threshold and key can change between runs).</summary>
[Flags]
internal enum BlobFlags
{
    /// <summary>UTF-8 text as is.</summary>
    None = 0,

    /// <summary>Brotli-compressed UTF-8.</summary>
    Brotli = 1,

    /// <summary>AES-256-GCM: 12-byte nonce, 16-byte tag, ciphertext (of the possibly compressed bytes).</summary>
    Encrypted = 2,
}
