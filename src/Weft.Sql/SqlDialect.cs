using System.Data.Common;
using Weft.Configuration;

namespace Weft.Sql;

/// <summary>What differs between database providers; the handler and the pool are written once over
/// <see cref="DbDataSource"/> and use this for the rest.</summary>
internal abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>A data source holding the pool for <paramref name="target"/>, sized and timed by
    /// <paramref name="settings"/>; <paramref name="opened"/> is called for each connection it opens to the
    /// database, where the provider tells (null from <see cref="CountsOpens"/> false).</summary>
    public abstract DbDataSource Create(SqlTarget target, ConnectionSettings settings, Action opened);

    /// <summary>Whether <see cref="Create"/>'s callback sees every connection opened.</summary>
    public abstract bool CountsOpens { get; }

    /// <summary>Gives a parameter its value. Values are text (templates rendered).</summary>
    public virtual void Bind(DbParameter parameter, string value) => parameter.Value = value;

    /// <summary>Prepares <paramref name="command"/> on the server where the provider wants it asked
    /// (others prepare on their own, or not at all).</summary>
    public virtual Task PrepareAsync(DbCommand command, CancellationToken token) => Task.CompletedTask;

    /// <summary>True when <paramref name="ex"/> says the database could not be reached or refused the
    /// session (as opposed to the query failing).</summary>
    public abstract bool IsConnectionFailure(Exception ex);

    /// <summary>The database's message for a failed query, with where in the query it failed when known.</summary>
    public virtual string Describe(DbException ex, string query) => ex.Message;

    public static SqlDialect For(ConnectionProvider provider) => provider switch
    {
        ConnectionProvider.Sqlite => SqliteDialect.Instance,
        ConnectionProvider.Mysql => MySqlDialect.Instance,
        _ => PostgresDialect.Instance,
    };
}
