using System.Data.Common;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MySqlConnector;
using Weft.Configuration;

namespace Weft.Sql;

/// <summary>MySQL and MariaDB through MySqlConnector: its own pool (max size, idle timeout), statements
/// prepared on the server so values travel as bound parameters (with <c>preparedStatements: false</c>
/// MySqlConnector escapes them into the text instead), and cancellation on the server when a task's
/// token fires (MySqlConnector sends <c>KILL QUERY</c> for the running command on a second connection).</summary>
internal sealed partial class MySqlDialect : SqlDialect
{
    public static readonly MySqlDialect Instance = new();

    public override string Name => "mysql";

    public override bool CountsOpens => true;

    public override DbDataSource Create(SqlTarget target, ConnectionSettings settings, Action opened)
    {
        var cs = new MySqlConnectionStringBuilder(target.ConnectionString)
        {
            Pooling = true,
            MaximumPoolSize = (uint)settings.MaxConnections,
            MinimumPoolSize = 0,
            ConnectionIdleTimeout = (uint)Math.Max(1, Math.Ceiling(settings.IdleTimeout.TotalSeconds)),
            IgnorePrepare = !settings.PreparedStatements,
            // No command timeout of the driver's: the task's timeout governs, and cancels on the server.
            DefaultCommandTimeout = 0,
        };
        if (string.IsNullOrEmpty(cs.ApplicationName))
        {
            cs.ApplicationName = "weft";
        }

        return new MySqlDataSourceBuilder(cs.ConnectionString)
            .UseConnectionOpenedCallback((context, _) =>
            {
                if (context.Conditions.HasFlag(MySqlConnectionOpenedConditions.New))
                {
                    opened();
                }

                return ValueTask.CompletedTask;
            })
            .Build();
    }

    // A no-op when the pool ignores Prepare (preparedStatements: false). MySqlConnector prepares every
    // statement of a batch before running the first, so "create table t …; insert into t …" cannot be
    // prepared (t does not exist yet), nor can a statement the server does not prepare: those run as
    // text, values escaped by MySqlConnector; a real error in the query is then reported by that run.
    public override async Task PrepareAsync(DbCommand command, CancellationToken token)
    {
        try
        {
            await command.PrepareAsync(token).ConfigureAwait(false);
        }
        catch (MySqlException ex) when (!token.IsCancellationRequested && !IsConnectionFailure(ex))
        {
        }
    }

    public override bool IsConnectionFailure(Exception ex) => ex switch
    {
        MySqlException my => my.ErrorCode is MySqlErrorCode.UnableToConnectToHost
                or MySqlErrorCode.AccessDenied
                or MySqlErrorCode.DatabaseAccessDenied
                or MySqlErrorCode.UnknownDatabase
                or MySqlErrorCode.ConnectionCountError
                or MySqlErrorCode.TooManyUserConnections
                or MySqlErrorCode.HostNotPrivileged
                or MySqlErrorCode.HostIsBlocked
                or MySqlErrorCode.ServerShutdown
            || (my.SqlState?.StartsWith("08", StringComparison.Ordinal) ?? false) // connection exception
            || my.InnerException is IOException or SocketException or EndOfStreamException,
        MySqlProtocolException or IOException or SocketException or EndOfStreamException => true, // no usable reply
        _ => false,
    };

    public override string Describe(DbException ex, string query)
    {
        if (ex is not MySqlException my)
        {
            return ex.Message;
        }

        var text = $"{my.Message} (error {my.Number}{(string.IsNullOrEmpty(my.SqlState) ? "" : $", SQLSTATE {my.SqlState}")})";

        // The server says "… near 'TEXT' at line N": where that text stands in the query, when it is
        // there once, gives the column too.
        if (NearLine().Match(my.Message) is { Success: true } where && where.Groups["near"].Value is { Length: > 0 } near)
        {
            var at = query.IndexOf(near, StringComparison.Ordinal);
            if (at >= 0 && query.IndexOf(near, at + 1, StringComparison.Ordinal) < 0)
            {
                text += " " + SqlPosition.Describe(query, at);
            }
        }

        return text;
    }

    [GeneratedRegex(@"near '(?<near>.*)' at line \d+\s*\z", RegexOptions.Singleline)]
    private static partial Regex NearLine();
}
