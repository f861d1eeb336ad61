using Weft.Postgres;

namespace Weft.Hosting;

/// <summary>Chooses PostgreSQL as the store of a hosted engine, which makes the host a member of the
/// cluster on that database: <c>AddWeft(weft =&gt; weft.UsePostgres(cs))</c>.</summary>
public static class PostgresWeftBuilderExtensions
{
    /// <summary>Records runs in PostgreSQL at <paramref name="connectionString"/> (a
    /// <c>postgres://user:password@host:port/database?schema=x</c> URI or an Npgsql keyword string),
    /// opened by the host at start (creating or migrating Weft's schema) and closed when it stops;
    /// <paramref name="configure"/> sets the rest (schema, encryption key, compression). As
    /// <c>weft server --store postgres://…</c>, the host is then a cluster member: it runs a worker of its
    /// own with the functions and handlers added here (none with <c>Weft:Workers</c> set to 0), waits as a
    /// standby while another member leads, and schedules the cluster's runs once it leads (taking up the
    /// unfinished ones). A bad option or an unreachable database stops the start with the problem.</summary>
    public static WeftBuilder UsePostgres(this WeftBuilder builder, string connectionString, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseStore(async (_, cancellationToken) =>
        {
            var options = new PostgresStoreOptions { ConnectionString = connectionString };
            configure?.Invoke(options);
            return await PostgresStore.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        });
    }
}
