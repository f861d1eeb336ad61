using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Weft.Storage;

/// <summary>Turns text into the bytes stored in a blob column and back: Brotli past the threshold,
/// then AES-256-GCM when a key is configured. Compression comes first because ciphertext does not
/// compress. Each value gets a fresh random nonce, so equal outputs do not look equal on disk.</summary>
internal sealed class BlobCodec(int compressionThreshold, byte[]? key)
{
    /// <summary>Quality 4 trades a little ratio for speed: outputs are written on the hot path.</summary>
    public const int BrotliQuality = 4;

    public const int BrotliWindow = 22;

    private const int NonceSize = 12;
    private const int TagSize = 16;

    public bool Encrypts => key is not null;

    /// <summary>Text longer than this many UTF-8 bytes is compressed (when that makes it smaller).</summary>
    public int CompressionThreshold => compressionThreshold;

    /// <summary>Encodes <paramref name="text"/>; <paramref name="secret"/> values are encrypted when
    /// a key is configured.</summary>
    public byte[] Encode(string text, bool secret, out BlobFlags flags)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        flags = BlobFlags.None;
        if (bytes.Length > compressionThreshold && Compress(bytes) is { } compressed)
        {
            bytes = compressed;
            flags |= BlobFlags.Brotli;
        }

        if (secret && key is not null)
        {
            bytes = Encrypt(bytes, key);
            flags |= BlobFlags.Encrypted;
        }

        return bytes;
    }

    /// <summary>Decodes a stored blob; <paramref name="what"/> names it in errors ("output of run R task T").</summary>
    public string Decode(byte[] stored, BlobFlags flags, string what)
    {
        var bytes = stored;
        if (flags.HasFlag(BlobFlags.Encrypted))
        {
            if (key is null)
            {
                throw new WeftStoreException($"{what} is encrypted and no key is configured (set {EncryptionKey.Variable})");
            }

            bytes = Decrypt(bytes, key) ?? throw new WeftStoreException(
                $"{what} cannot be decrypted with the configured key (was it written with another {EncryptionKey.Variable}?)");
        }

        if (flags.HasFlag(BlobFlags.Brotli))
        {
            using var input = new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            bytes = output.ToArray();
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static byte[]? Compress(byte[] bytes)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
        if (!BrotliEncoder.TryCompress(bytes, buffer, out var written, BrotliQuality, BrotliWindow) || written >= bytes.Length)
        {
            return null;
        }

        return buffer.AsSpan(0, written).ToArray();
    }

    private static byte[] Encrypt(byte[] plain, byte[] key)
    {
        var result = new byte[NonceSize + TagSize + plain.Length];
        var nonce = result.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, result.AsSpan(NonceSize + TagSize), result.AsSpan(NonceSize, TagSize));
        return result;
    }

    private static byte[]? Decrypt(byte[] stored, byte[] key)
    {
        if (stored.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plain = new byte[stored.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(stored.AsSpan(0, NonceSize), stored.AsSpan(NonceSize + TagSize), stored.AsSpan(NonceSize, TagSize), plain);
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
