using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>Result cache entries (table <c>cache</c>, schema version 2). Outputs go through the same
/// <see cref="BlobCodec"/> as attempt outputs: Brotli past the threshold, encrypted with a key.</summary>
public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(Read("read cache entry", c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT output, output_flags, output_truncated, created_at, expires_at FROM cache WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            using var r = command.ExecuteReader();
            if (!r.Read())
            {
                return null;
            }

            var output = r.IsDBNull(0) ? null : _codec.Decode((byte[])r[0], (BlobFlags)r.GetInt32(1), $"cache entry {key}");
            return new CacheEntry(key, output, r.GetInt64(2) != 0, StoreColumns.Time(r.GetInt64(3)), StoreColumns.Time(r.GetInt64(4)));
        }));
    }

    /// <inheritdoc />
    public async ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var output = Encode(entry.Output, out var flags);
        await WriteLockedAsync("write cache entry", () =>
        {
            using var command = Command("""
                INSERT INTO cache (key, output, output_flags, output_truncated, size, created_at, expires_at)
                VALUES ($key, $output, $flags, $truncated, $size, $created, $expires)
                ON CONFLICT (key) DO UPDATE SET output = excluded.output, output_flags = excluded.output_flags,
                    output_truncated = excluded.output_truncated, size = excluded.size,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                """);
            command.Parameters.AddWithValue("$key", entry.Key);
            command.Parameters.AddWithValue("$output", (object?)output ?? DBNull.Value);
            command.Parameters.AddWithValue("$flags", (long)flags);
            command.Parameters.AddWithValue("$truncated", entry.OutputTruncated ? 1L : 0L);
            command.Parameters.AddWithValue("$size", entry.Size);
            command.Parameters.AddWithValue("$created", entry.CreatedAt.UtcTicks);
            command.Parameters.AddWithValue("$expires", entry.ExpiresAt.UtcTicks);
            command.ExecuteNonQuery();
            _statements++;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default)
    {
        var purged = 0;
        await WriteLockedAsync("purge cache", () =>
        {
            using var command = Command("DELETE FROM cache WHERE expires_at <= $before");
            command.Parameters.AddWithValue("$before", expiredBefore.UtcTicks);
            purged = command.ExecuteNonQuery();
            _statements++;
        }, cancellationToken).ConfigureAwait(false);
        return purged;
    }

    // A one-off statement inside the writer's open transaction.
    private SqliteCommand Command(string sql)
    {
        var command = _writer.CreateCommand();
        command.Transaction = _commands.Current;
        command.CommandText = sql;
        return command;
    }
}
