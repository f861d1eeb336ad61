using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Weft.Sqlite;

/// <summary>One prepared statement of the writer, driven through SQLitePCLRaw (the layer under
/// Microsoft.Data.Sqlite, on the same connection handle and so inside its transactions). Why not
/// <see cref="SqliteCommand"/> on this path: every <c>ExecuteNonQuery</c> builds a data reader and
/// infers each parameter's type anew, which cost as much as SQLite's own work for the small upserts
/// the journal is made of. Errors surface as <see cref="SqliteException"/> like the command's would.</summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;

    public RawStatement(SqliteConnection connection, string sql, params string[] parameters)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _indexes = new int[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            _indexes[i] = raw.sqlite3_bind_parameter_index(_statement, parameters[i]);
            if (_indexes[i] == 0)
            {
                throw new ArgumentException($"no parameter {parameters[i]} in: {sql}", nameof(parameters));
            }
        }
    }

    /// <summary>Binds the values in the order the parameters were named (string as text, integers
    /// as integers, byte arrays as blobs, null as NULL) and runs the statement once.</summary>
    public void Execute(ReadOnlySpan<object?> values)
    {
        if (values.Length != _indexes.Length)
        {
            throw new ArgumentException($"{values.Length} values for {_indexes.Length} parameters", nameof(values));
        }

        for (var i = 0; i < values.Length; i++)
        {
            var index = _indexes[i];
            var rc = values[i] switch
            {
                null => raw.sqlite3_bind_null(_statement, index),
                string s => raw.sqlite3_bind_text(_statement, index, s),
                long l => raw.sqlite3_bind_int64(_statement, index, l),
                int n => raw.sqlite3_bind_int64(_statement, index, n),
                byte[] b => raw.sqlite3_bind_blob(_statement, index, b),
                var other => throw new ArgumentException($"cannot bind a {other.GetType().Name}", nameof(values)),
            };
            Check(rc);
        }

        var step = raw.sqlite3_step(_statement);

        // Reset before raising, so the statement is reusable (and releases its read of the database)
        // whatever happened; its own return code repeats the step's error.
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE && step != raw.SQLITE_ROW)
        {
            throw Error(step);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_db).utf8_to_string() ?? $"SQLite error {rc}", rc & 0xFF, raw.sqlite3_extended_errcode(_db));
}
