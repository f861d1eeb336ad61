using Weft.Storage;

namespace Weft.Postgres;

/// <summary>Result cache entries (table <c>cache</c>). Outputs go through the same <see cref="BlobCodec"/>
/// as attempt outputs: Brotli past the threshold, encrypted with a key.</summary>
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RunAsync("read cache entry", async (c, ct) =>
        {
            await using var command = Command(c, "SELECT output, output_flags, output_truncated, created_at, expires_at FROM cache WHERE key = @key");
            command.Parameters.AddWithValue("key", key);
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await r.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            var output = r.IsDBNull(0) ? null : _codec.Decode(r.GetFieldValue<byte[]>(0), (BlobFlags)r.GetInt32(1), $"cache entry {key}");
            return new CacheEntry(key, output, r.GetBoolean(2), StoreColumns.Time(r.GetInt64(3)), StoreColumns.Time(r.GetInt64(4)));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var output = ChangeBatch.Encode(_codec, entry.Output, out var flags);
        return RunAsync("write cache entry", async (c, ct) =>
        {
            await using var command = Command(c, """
                INSERT INTO cache (key, output, output_flags, output_truncated, size, created_at, expires_at)
                VALUES (@key, @output, @flags, @truncated, @size, @created, @expires)
                ON CONFLICT (key) DO UPDATE SET output = excluded.output, output_flags = excluded.output_flags,
                    output_truncated = excluded.output_truncated, size = excluded.size,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                """);
            command.Parameters.AddWithValue("key", entry.Key);
            command.Parameters.Add(new Npgsql.NpgsqlParameter("output", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)output ?? DBNull.Value });
            command.Parameters.AddWithValue("flags", flags);
            command.Parameters.AddWithValue("truncated", entry.OutputTruncated);
            command.Parameters.AddWithValue("size", entry.Size);
            command.Parameters.AddWithValue("created", entry.CreatedAt.UtcTicks);
            command.Parameters.AddWithValue("expires", entry.ExpiresAt.UtcTicks);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            CountCommit();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) =>
        RunAsync("purge cache", async (c, ct) =>
        {
            await using var command = Command(c, "DELETE FROM cache WHERE expires_at <= @before");
            command.Parameters.AddWithValue("before", expiredBefore.UtcTicks);
            var purged = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            CountCommit();
            return purged;
        }, cancellationToken);
}
