using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Testing;

namespace Weft.Storage.Tests.Sql;

/// <summary><c>sql:</c> tasks on a real PostgreSQL server and a real SQLite file, run by an engine.</summary>
public sealed class SqlTaskTests : IAsyncLifetime
{
    private readonly SqlTestBed _bed = new();

    public Task InitializeAsync() => _bed.InitializeAsync(
        "CREATE TABLE people (name text NOT NULL); CREATE TABLE orders (region text, amount int, day date);"
        + " INSERT INTO orders VALUES ('north', 10, '2026-01-01'), ('north', 5, '2026-01-01'), ('south', 7, '2026-01-01'), ('south', 100, '2026-01-02');",
        "CREATE TABLE people (name TEXT NOT NULL); CREATE TABLE orders (region TEXT, amount INTEGER, day TEXT);"
        + " INSERT INTO orders VALUES ('north', 10, '2026-01-01'), ('north', 5, '2026-01-01'), ('south', 7, '2026-01-01'), ('south', 100, '2026-01-02');");

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData("pg")]
    [InlineData("lite")]
    public async Task AnInjectionAttemptInAParameter_IsStoredAsData_AndRunsNothing(string connection)
    {
        await using var handler = await _bed.HandlerAsync();
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(handler));
        var flow = SqlTestBed.Load($$$"""
            name: inject
            params: { who: x }
            tasks:
              add:
                sql:
                  connection: {{{connection}}}
                  query: "insert into people (name) values (@name)"
                  params: { name: "{{ params.who }}" }
                  result: none
              count:
                dependsOn: [add]
                sql: { connection: {{{connection}}}, query: "select count(*) from people where name = @name", params: { name: "{{ params.who }}" }, result: scalar }
            """);
        const string attack = "x'); DROP TABLE people; --";

        var run = await (await engine.SubmitAsync(flow, new Dictionary<string, string> { ["who"] = attack })).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("1", run.Tasks.Single(t => t.TaskId == "count").Output); // the table is still there, holding the text
    }

    [Theory]
    [InlineData("pg")]
    [InlineData("lite")]
    public async Task Rows_AreAJsonArrayOfObjects_ThatADownstreamTemplateReads(string connection)
    {
        await using var handler = await _bed.HandlerAsync();
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(handler));
        var flow = SqlTestBed.Load($$$"""
            name: report
            params: { day: "2026-01-01" }
            tasks:
              totals:
                sql:
                  connection: {{{connection}}}
                  query: "select region, sum(amount) as total from orders where day = @day group by region order by region"
                  params: { day: "{{ params.day }}" }
              top:
                dependsOn: [totals]
                sql:
                  connection: {{{connection}}}
                  query: "select @region as region, @total as total"
                  params: { region: "{{ tasks.totals.output.0.region }}", total: "{{ tasks.totals.output.0.total }}" }
                  result: rows
            """);

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        using var rows = JsonDocument.Parse(run.Tasks.Single(t => t.TaskId == "totals").Output!);
        Assert.Equal(2, rows.RootElement.GetArrayLength());
        Assert.Equal("north", rows.RootElement[0].GetProperty("region").GetString());
        Assert.Equal(15, rows.RootElement[0].GetProperty("total").GetInt32());
        Assert.Equal("""[{"region":"north","total":"15"}]""", run.Tasks.Single(t => t.TaskId == "top").Output);
    }

    [Fact]
    public async Task Rows_PastTheOutputLimit_AreCutOnARowBoundary_AndStayJson()
    {
        await using var handler = await _bed.HandlerAsync();
        await using var engine = WeftEngine.Create(o =>
        {
            o.Handlers.Add(handler);
            o.OutputLimitBytes = 100;
        });
        var flow = SqlTestBed.Load("""
            name: big
            tasks:
              many: { sql: { connection: pg, query: "select g as n, 'some text' as t from generate_series(1, 1000) g" } }
            """);

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        var task = run.Tasks.Single();
        Assert.Equal(TaskState.Succeeded, task.State);
        Assert.True(task.OutputTruncated);
        Assert.True(task.Output!.Length <= 100, task.Output);
        using var rows = JsonDocument.Parse(task.Output);
        Assert.InRange(rows.RootElement.GetArrayLength(), 1, 5);
    }

    [Fact]
    public async Task ATimeout_CancelsTheQueryOnTheServer()
    {
        var clock = new FakeTimeProvider();
        await using var handler = await _bed.HandlerAsync();
        await using var engine = WeftEngine.Create(o =>
        {
            o.Handlers.Add(handler);
            o.TimeProvider = clock;
        });
        var marker = "weft_sleep_" + Guid.NewGuid().ToString("N")[..8];
        var flow = SqlTestBed.Load($$$"""
            name: slow
            tasks:
              nap:
                sql: { connection: pg, query: "select pg_sleep(600) as {{{marker}}}" }
                timeout: 5s
            """);

        var handle = await engine.SubmitAsync(flow);
        await WaitUntilAsync(async () => await SleepingAsync(marker) == 1);
        clock.Advance(TimeSpan.FromSeconds(5));
        var run = await handle.WaitAsync().WaitAsync(SqlTestBed.HardLimit);
        await WaitUntilAsync(async () => await SleepingAsync(marker) == 0);

        var task = run.Tasks.Single();
        Assert.Equal(TaskState.TimedOut, task.State);
        Assert.Equal("timed out after 5s", task.Error);
    }

    [Fact]
    public async Task APool_ReusesItsConnections_AcrossTasks()
    {
        await using var handler = await _bed.HandlerAsync(maxConnections: 2);
        await using var engine = WeftEngine.Create(o =>
        {
            o.Handlers.Add(handler);
            o.Workers = 4;
        });
        var tasks = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"  q{i}: {{ sql: {{ connection: pg, query: \"select {i} as n\", result: scalar }} }}"));
        var flow = SqlTestBed.Load($"name: many\ntasks:\n{tasks}\n");

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var pool = Assert.Single(engine.GetStatus().ConnectionPools, p => p.Name == "pg");
        Assert.Equal(20, pool.Leases);
        Assert.InRange(pool.Opened!.Value, 1, 2); // never more than the pool's size, and far fewer than the tasks
        Assert.Equal(0, pool.InUse);
        Assert.Equal(2, pool.MaxConnections);
    }

    [Fact]
    public async Task AnUnknownConnection_FailsTheTask_NamingItAndTheConfiguredOnes()
    {
        await using var handler = await _bed.HandlerAsync();
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(handler));
        var flow = SqlTestBed.Load("""
            name: typo
            tasks:
              q: { sql: { connection: warehouse, query: "select 1" } }
            """);

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal(
            "unknown connection 'warehouse': it is not under 'connections:' in the configuration and WEFT_CONNECTION_WAREHOUSE is not set (configured: lite, pg)",
            run.Tasks.Single().Error);
    }

    [Fact]
    public async Task AConnectionFromTheEnvironment_IsUsed_AndItsPasswordIsNeverShown()
    {
        var server = SqlTestBed.PostgresConnection(await TestPostgres.ConnectionStringAsync());
        var variables = new Dictionary<string, string>
        {
            ["WEFT_CONNECTION_FROM_ENV"] = server,
            ["WEFT_CONNECTION_BROKEN"] = "postgres://weft:hunter2@127.0.0.1:1/nowhere",
        };
        await using var handler = await _bed.HandlerAsync(environment: n => variables.GetValueOrDefault(n));
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(handler));
        var flow = SqlTestBed.Load("""
            name: env
            tasks:
              ok: { sql: { connection: from-env, query: "select 42", result: scalar } }
              down: { sql: { connection: broken, query: "select 1" } }
            """);

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal("42", run.Tasks.Single(t => t.TaskId == "ok").Output);
        var down = run.Tasks.Single(t => t.TaskId == "down");
        Assert.Equal(TaskState.Failed, down.State);
        Assert.StartsWith("cannot connect to 'broken' (postgres://127.0.0.1:1/nowhere): ", down.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", down.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionFailure_IsAnError_ForRetryOn()
    {
        var variables = new Dictionary<string, string> { ["WEFT_CONNECTION_DOWN"] = "Host=127.0.0.1;Port=1;Username=x;Timeout=2" };
        await using var handler = await _bed.HandlerAsync(environment: n => variables.GetValueOrDefault(n));
        var outcome = await handler.ExecuteAsync(Invocation(new SqlSpec("down", "select 1")));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.True(RetryClassifier.Matches([new RetryCondition(RetryConditionKind.Error)], outcome), outcome.Error);
    }

    [Theory]
    [InlineData("pg", "query failed on 'pg': syntax error at or near \"selec\" (SQLSTATE 42601) at line 2, column 1 of the statement, near 'selec name from people'")]
    [InlineData("lite", "query failed on 'lite': near \"selec\": syntax error (SQLite error 1)")]
    public async Task AQueryError_FailsTheTask_WithTheDatabasesMessageAndWhere(string connection, string expected)
    {
        await using var handler = await _bed.HandlerAsync();

        var outcome = await handler.ExecuteAsync(Invocation(new SqlSpec(connection, "-- who is there\nselec name from people")));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal(expected, outcome.Error);
    }

    [Theory]
    [InlineData("pg")]
    [InlineData("lite")]
    public async Task ATransaction_IsRolledBack_WhenAStatementFails(string connection)
    {
        await using var handler = await _bed.HandlerAsync();

        var failed = await handler.ExecuteAsync(Invocation(new SqlSpec(connection, "insert into people (name) values ('kept?'); insert into people (name) values (null)") { Transaction = true, Result = SqlResult.None }));
        var count = await handler.ExecuteAsync(Invocation(new SqlSpec(connection, "select count(*) from people") { Result = SqlResult.Scalar }));

        Assert.Equal(TaskOutcomeStatus.Failed, failed.Status);
        Assert.Equal("0", count.Output);
    }

    private static TaskInvocation Invocation(SqlSpec spec) => new()
    {
        RunId = "r",
        WorkflowName = "w",
        TaskId = "t",
        Attempt = 1,
        Spec = spec,
        CancellationToken = CancellationToken.None,
        TimeProvider = TimeProvider.System,
        OutputLimit = 1 << 20,
        Values = EmptyValues.Instance,
    };

    private async Task<int> SleepingAsync(string marker)
    {
        await using var raw = await TestPostgres.OpenRawAsync();
        await using var command = new NpgsqlCommand("select count(*) from pg_stat_activity where state = 'active' and query like @q and pid <> pg_backend_pid()", raw);
        command.Parameters.AddWithValue("q", $"%pg_sleep(600) as {marker}%");
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + SqlTestBed.HardLimit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met in time");
            await Task.Delay(20);
        }
    }

    private sealed class EmptyValues : ITemplateValues
    {
        public static readonly EmptyValues Instance = new();

        public string Resolve(Templates.TemplateReference reference) => throw new InvalidOperationException("no templates here");
    }
}
