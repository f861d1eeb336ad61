using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Weft.Configuration;

namespace Weft.Sql;

/// <summary>PostgreSQL through Npgsql: Npgsql's own pool (max size, idle lifetime), automatic
/// preparation of statements a connection runs repeatedly, and cancellation on the server when a
/// task's token fires (Npgsql sends a cancel request for the running command).</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    // Statements a connection keeps prepared; prepared once it ran one twice.
    private const int AutoPrepared = 20;

    public override string Name => "postgres";

    public override bool CountsOpens => true;

    public override DbDataSource Create(SqlTarget target, ConnectionSettings settings, Action opened)
    {
        var builder = new NpgsqlDataSourceBuilder(target.ConnectionString);
        var cs = builder.ConnectionStringBuilder;
        cs.Pooling = true;
        cs.MaxPoolSize = settings.MaxConnections;
        cs.MinPoolSize = 0;
        var idle = Math.Max(1, (int)Math.Ceiling(settings.IdleTimeout.TotalSeconds));
        cs.ConnectionIdleLifetime = idle;
        cs.ConnectionPruningInterval = Math.Min(idle, 10);
        if (settings.PreparedStatements)
        {
            cs.MaxAutoPrepare = AutoPrepared;
            cs.AutoPrepareMinUsages = 2;
        }

        // No command timeout of the driver's: the task's timeout governs, and cancels on the server.
        cs.CommandTimeout = 0;
        cs.ApplicationName ??= "weft";
        builder.UsePhysicalConnectionInitializer(_ => opened(), _ =>
        {
            opened();
            return Task.CompletedTask;
        });
        return builder.Build();
    }

    // Sent as "unknown": the server infers the type from where the parameter stands, so
    // "where id = @id" with the text "42" compares integers, as a literal would.
    public override void Bind(DbParameter parameter, string value)
    {
        parameter.Value = value;
        ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Unknown;
    }

    public override bool IsConnectionFailure(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || pg.SqlState.StartsWith("28", StringComparison.Ordinal) // invalid authorization
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) // server shutting down, cannot connect now
            || pg.SqlState is "3D000" or "53300", // no such database, too many connections
        NpgsqlException => true, // no server reply: refused, reset, timed out, TLS
        _ => false,
    };

    public override string Describe(DbException ex, string query)
    {
        if (ex is not PostgresException pg)
        {
            return ex.Message;
        }

        var text = $"{pg.MessageText} (SQLSTATE {pg.SqlState})";
        if (pg.Position > 0 && (pg.BatchCommand?.CommandText ?? query) is { } sql && pg.Position <= sql.Length)
        {
            // The position is in the statement the server got; Npgsql writes @name as $1, so past a
            // parameter the column may be off by a few characters, hence the text near it too.
            text += " " + SqlPosition.Describe(sql, pg.Position - 1);
        }

        if (!string.IsNullOrEmpty(pg.Detail))
        {
            text += $"; {pg.Detail}";
        }

        return text;
    }
}
