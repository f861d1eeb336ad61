namespace Weft.Storage;

/// <summary>One result cache entry as a store keeps it.</summary>
/// <param name="Key">The cache key (lowercase hex SHA-256).</param>
/// <param name="Output">The output the task produced; null when it produced none.</param>
/// <param name="OutputTruncated">The output was cut at the output limit.</param>
/// <param name="CreatedAt">When the output was produced.</param>
/// <param name="ExpiresAt">From when the entry must not be used.</param>
public sealed record CacheEntry(string Key, string? Output, bool OutputTruncated, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>UTF-8 bytes of the output (before any compression).</summary>
    public long Size => Output is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(Output);
}
