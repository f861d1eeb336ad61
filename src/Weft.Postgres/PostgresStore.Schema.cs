using Npgsql;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>What a migration did: the schema's version before and after.</summary>
public sealed record SchemaMigration(string Schema, int FromVersion, int ToVersion)
{
    /// <summary>True when the migration moved the schema to a newer version; false when it was already current.</summary>
    public bool Changed => FromVersion != ToVersion;
}

public sealed partial class PostgresStore
{
    /// <summary>Creates or migrates the store's schema without opening a store (<c>weft db migrate</c>).
    /// Safe to run from several processes at once.</summary>
    public static async ValueTask<SchemaMigration> MigrateAsync(PostgresStoreOptions options, CancellationToken cancellationToken = default)
    {
        var connection = Check(options);
        await using var store = new PostgresStore(connection, new BlobCodec(options.CompressionThreshold, null));
        return await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Brings the schema up to <see cref="Migrations.Latest"/> in one transaction, under a
    /// transaction-scoped advisory lock so concurrent openers take turns (the second finds it done).
    /// The version is read before anything is written, so a newer schema is refused unmodified.</summary>
    private ValueTask<SchemaMigration> MigrateAsync(CancellationToken cancellationToken) =>
        RunAsync("create or migrate the schema", async (c, ct) =>
        {
            var schema = Connection.Schema;
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var command = Command(c, "SELECT pg_advisory_xact_lock(@key)"))
            {
                command.Parameters.AddWithValue("key", _channels.MigrationKey);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var version = await VersionAsync(c, ct).ConfigureAwait(false);
            if (version > Migrations.Latest)
            {
                throw new WeftStoreException(
                    $"the PostgreSQL store at {Where} has schema version {version}, newer than this weft ({Migrations.Latest}); upgrade weft");
            }

            if (version < Migrations.Latest)
            {
                await using var batch = new NpgsqlBatch(c);
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema}\""));
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL search_path TO \"{schema}\""));
                for (var v = version; v < Migrations.Latest; v++)
                {
                    // The extended protocol takes one statement per command.
                    foreach (var statement in Migrations.All[v].Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.TrimEnd(';')));
                    }

                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"UPDATE schema_version SET version = {v + 1}"));
                }

                await ExecuteAsync(batch, ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            CountCommit();
            return new SchemaMigration(schema, version, Migrations.Latest);
        }, cancellationToken);

    /// <summary>The schema's version; 0 when the schema or its version table does not exist yet.</summary>
    private async Task<int> VersionAsync(NpgsqlConnection c, CancellationToken ct)
    {
        await using (var exists = Command(c, "SELECT to_regclass(@table) IS NOT NULL"))
        {
            exists.Parameters.AddWithValue("table", $"\"{Connection.Schema}\".schema_version");
            if (!(bool)(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        await using var read = Command(c, $"SELECT max(version) FROM \"{Connection.Schema}\".schema_version");
        return await read.ExecuteScalarAsync(ct).ConfigureAwait(false) is int v ? v : 0;
    }
}
