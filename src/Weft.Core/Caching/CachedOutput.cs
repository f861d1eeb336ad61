using System.IO.Compression;
using System.Text;

namespace Weft.Caching;

/// <summary>An output as the memory cache holds it: UTF-8, Brotli-compressed past a threshold (large
/// outputs are what fill the byte bound, and text compresses several times over).</summary>
internal sealed class CachedOutput
{
    private readonly byte[]? _data;
    private readonly bool _compressed;

    private CachedOutput(byte[]? data, bool compressed, bool truncated, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        _data = data;
        _compressed = compressed;
        Truncated = truncated;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public bool Truncated { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset ExpiresAt { get; }

    public bool IsCompressed => _compressed;

    /// <summary>Bytes held for the output (compressed size when compressed).</summary>
    public long Size => _data?.Length ?? 0;

    public static CachedOutput Create(string? output, bool truncated, DateTimeOffset createdAt, DateTimeOffset expiresAt, int compressAbove)
    {
        if (output is null)
        {
            return new CachedOutput(null, false, truncated, createdAt, expiresAt);
        }

        var bytes = Encoding.UTF8.GetBytes(output);
        if (bytes.Length > compressAbove && Compress(bytes) is { } compressed)
        {
            return new CachedOutput(compressed, true, truncated, createdAt, expiresAt);
        }

        return new CachedOutput(bytes, false, truncated, createdAt, expiresAt);
    }

    public string? Output()
    {
        if (_data is null)
        {
            return null;
        }

        if (!_compressed)
        {
            return Encoding.UTF8.GetString(_data);
        }

        using var input = new BrotliStream(new MemoryStream(_data), CompressionMode.Decompress);
        using var text = new StreamReader(input, Encoding.UTF8);
        return text.ReadToEnd();
    }

    // Quality 4: fast enough for the worker path, most of the ratio of higher qualities on text.
    private static byte[]? Compress(byte[] bytes)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
        if (!BrotliEncoder.TryCompress(bytes, buffer, out var written, quality: 4, window: 22) || written >= bytes.Length)
        {
            return null;
        }

        return buffer.AsSpan(0, written).ToArray();
    }
}
