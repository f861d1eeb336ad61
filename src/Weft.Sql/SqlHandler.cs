using System.Data.Common;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Sql;

/// <summary>Runs <c>sql:</c> tasks on the process's pools. The same on an engine's slots and on a cluster
/// worker (both take it from their handler list). Template values are bound as parameters, never put
/// in the query; a failed query is a failed task with the database's message and where it failed; a
/// connection that cannot be made is a failure with neither exit code nor HTTP status (retryOn: error).
/// The task's timeout and the run's cancellation fire the token, which the provider turns into a
/// cancel on the server.</summary>
internal sealed class SqlHandler(SqlPools pools) : ITaskHandler, IConnectionPoolReporter, IAsyncDisposable
{
    public string Kind => "sql";

    public SqlPools Pools => pools;

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        if (invocation.Spec is not SqlSpec spec)
        {
            return TaskOutcome.Failed($"the sql handler got a '{invocation.Spec.Kind}' task");
        }

        if (pools.Get(spec.Connection, out var unknown) is not { } pool)
        {
            return TaskOutcome.Failed(unknown!);
        }

        var token = invocation.CancellationToken;
        var values = spec.Params?.Select(p => (p.Key, invocation.Render(p.Value))).ToList() ?? [];
        SqlPool.Lease lease;
        try
        {
            lease = await pool.LeaseAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            return TaskOutcome.Failed($"cannot connect to '{spec.Connection}' ({pool.Target.Description}): {Inner(ex).Message}");
        }

        await using (lease.ConfigureAwait(false))
        {
            try
            {
                return await RunAsync(lease.Connection, pool.Dialect, spec, values, invocation.OutputLimit, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!token.IsCancellationRequested && pool.Dialect.IsConnectionFailure(ex))
            {
                return TaskOutcome.Failed($"lost the connection to '{spec.Connection}' ({pool.Target.Description}): {Inner(ex).Message}");
            }
            catch (DbException ex) when (!token.IsCancellationRequested)
            {
                return TaskOutcome.Failed($"query failed on '{spec.Connection}': {pool.Dialect.Describe(ex, spec.Query)}");
            }
        }
    }

    private static async Task<TaskOutcome> RunAsync(
        DbConnection connection, SqlDialect dialect, SqlSpec spec, List<(string Name, string Value)> values, int limit, CancellationToken token)
    {
        // Disposing a transaction not committed rolls it back: a failed or cancelled task leaves nothing half done.
        DbTransaction? transaction = spec.Transaction ? await connection.BeginTransactionAsync(token).ConfigureAwait(false) : null;
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = spec.Query;
            command.Transaction = transaction;
            command.CommandTimeout = 0;
            foreach (var (name, value) in values)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                dialect.Bind(parameter, value);
                command.Parameters.Add(parameter);
            }

            await dialect.PrepareAsync(command, token).ConfigureAwait(false);

            var outcome = spec.Result switch
            {
                SqlResult.None => await NoneAsync(command, token).ConfigureAwait(false),
                SqlResult.Scalar => await ScalarAsync(command, limit, token).ConfigureAwait(false),
                _ => await RowsAsync(command, limit, token).ConfigureAwait(false),
            };
            if (transaction is not null)
            {
                await transaction.CommitAsync(token).ConfigureAwait(false);
            }

            return outcome;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<TaskOutcome> NoneAsync(DbCommand command, CancellationToken token)
    {
        await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        return TaskOutcome.Success;
    }

    private static async Task<TaskOutcome> ScalarAsync(DbCommand command, int limit, CancellationToken token)
    {
        var text = SqlRows.Text(await command.ExecuteScalarAsync(token).ConfigureAwait(false));
        if (text is null)
        {
            return TaskOutcome.Success;
        }

        var output = OutputLimit.Apply(text, limit, out var truncated);
        return TaskOutcome.Succeeded(output, truncated);
    }

    private static async Task<TaskOutcome> RowsAsync(DbCommand command, int limit, CancellationToken token)
    {
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        var (json, truncated) = await SqlRows.ReadAsync(reader, limit, token).ConfigureAwait(false);
        return TaskOutcome.Succeeded(json, truncated);
    }

    private static Exception Inner(Exception ex) => ex is AggregateException { InnerException: { } inner } ? inner : ex;

    public IReadOnlyList<Weft.ConnectionPoolStatus> ConnectionPools() => pools.Status();

    public ValueTask DisposeAsync() => pools.DisposeAsync();
}
