using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Testing;

namespace Weft.Storage.Tests.Sql;

/// <summary><c>sql:</c> tasks on a real MariaDB (or MySQL) server through the mysql provider, run by an engine.</summary>
public sealed class MySqlTaskTests : IAsyncLifetime
{
    private readonly MySqlTestBed _bed = new();

    public Task InitializeAsync() => _bed.InitializeAsync(
        "CREATE TABLE people (name varchar(200) NOT NULL) ENGINE=InnoDB; CREATE TABLE orders (region varchar(20), amount int, day date) ENGINE=InnoDB;"
        + " INSERT INTO orders VALUES ('north', 10, '2026-01-01'), ('north', 5, '2026-01-01'), ('south', 7, '2026-01-01'), ('south', 100, '2026-01-02');");

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnInjectionAttemptInAParameter_IsStoredAsData_AndRunsNothing(bool preparedStatements)
    {
        await using var handler = _bed.Handler(preparedStatements: preparedStatements);
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(handler));
        var flow = SqlTestBed.Load("""
            name: inject
            params: { who: x }
            tasks:
              add:
                sql:
                  connection: my
                  query: "insert into people (name) values (@name)"
                  params: { name: "{{ params.who }}" }
                  result: none
              count:
                dependsOn: [add]
                sql: { connection: my, query: "select count(*) from people where name = @name", params: { name: "{{ params.who }}" }, result: scalar }
            """);
        const string attack = "x'); DROP TABLE people; -- \\' \" `";

        var run = await (await engine.SubmitAsync(flow, new Dictionary<string, string> { ["who"] = attack })).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Null(run.Tasks.Single(t => t.TaskId == "add").Output); // result: none
        Assert.Equal("1", run.Tasks.Single(t => t.TaskId == "count").Output); // the table is still there, holding the text
        Assert.Equal(attack, await _bed.ScalarAsync("select name from people"));
    }

    [Fact]
    public async Task Rows_AreAJsonArrayOfObjects_ThatADownstreamTemplateReads()
    {
        await using var handler = _bed.Handler();
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(handler));
        var flow = SqlTestBed.Load("""
            name: report
            params: { day: "2026-01-01" }
            tasks:
              totals:
                sql:
                  connection: my
                  query: "select region, count(*) as orders, sum(amount) as total from orders where day = @day group by region order by region"
                  params: { day: "{{ params.day }}" }
              top:
                dependsOn: [totals]
                sql:
                  connection: my
                  query: "select @region as region, @total as total"
                  params: { region: "{{ tasks.totals.output.0.region }}", total: "{{ tasks.totals.output.0.total }}" }
                  result: rows
              doubled:
                dependsOn: [totals]
                sql: { connection: my, query: "select @total * 2", params: { total: "{{ tasks.totals.output.1.total }}" }, result: scalar }
            """);

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("""[{"region":"north","orders":2,"total":15},{"region":"south","orders":1,"total":7}]""", run.Tasks.Single(t => t.TaskId == "totals").Output);
        Assert.Equal("""[{"region":"north","total":"15"}]""", run.Tasks.Single(t => t.TaskId == "top").Output);
        Assert.Equal("14", run.Tasks.Single(t => t.TaskId == "doubled").Output);
    }

    [Fact]
    public async Task ATransaction_RunsEveryStatement_AndIsRolledBackWhenOneFails()
    {
        await using var handler = _bed.Handler();

        var done = await handler.ExecuteAsync(Invocation(new SqlSpec("my", "insert into people (name) values ('ann'); insert into people (name) values ('bob');\nupdate people set name = concat(name, '!')") { Transaction = true, Result = SqlResult.None }));
        var failed = await handler.ExecuteAsync(Invocation(new SqlSpec("my", "insert into people (name) values ('kept?'); insert into people (name) values (null)") { Transaction = true, Result = SqlResult.None }));
        var names = await handler.ExecuteAsync(Invocation(new SqlSpec("my", "select group_concat(name order by name separator ',') from people") { Result = SqlResult.Scalar }));

        Assert.True(done.Status == TaskOutcomeStatus.Succeeded, done.Error);
        Assert.Equal(TaskOutcomeStatus.Failed, failed.Status);
        Assert.Contains("Column 'name' cannot be null", failed.Error, StringComparison.Ordinal);
        Assert.Equal("ann!,bob!", names.Output);
    }

    [Fact]
    public async Task ABatchThatCreatesTheTableItUses_Runs_ThoughItCannotBePreparedUpFront()
    {
        await using var handler = _bed.Handler(preparedStatements: true);

        var outcome = await handler.ExecuteAsync(Invocation(new SqlSpec("my", "create table later (x varchar(50)); insert into later values (@x); select x from later")
        {
            Params = new Dictionary<string, string> { ["x"] = "it's; here" },
        }));

        Assert.True(outcome.Status == TaskOutcomeStatus.Succeeded, outcome.Error);
        Assert.Equal("""[{"x":"it's; here"}]""", outcome.Output);
    }

    [Fact]
    public async Task AQueryError_FailsTheTask_WithTheServersMessageAndWhere()
    {
        await using var handler = _bed.Handler();

        var outcome = await handler.ExecuteAsync(Invocation(new SqlSpec("my", "-- who is there\nselect 1;\n  selec name from people")));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.StartsWith("query failed on 'my': You have an error in your SQL syntax; ", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("near 'selec name from people' at line ", outcome.Error, StringComparison.Ordinal);
        Assert.EndsWith("(error 1064, SQLSTATE 42000) at line 3, column 3 of the statement, near 'selec name from people'", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATimeout_KillsTheQueryOnTheServer()
    {
        var clock = new FakeTimeProvider();
        await using var handler = _bed.Handler();
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
                sql: { connection: my, query: "select sleep(600) as {{{marker}}}" }
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
    public async Task CancellingTheRun_KillsTheQueryOnTheServer()
    {
        await using var handler = _bed.Handler();
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(handler));
        var marker = "weft_sleep_" + Guid.NewGuid().ToString("N")[..8];
        var flow = SqlTestBed.Load($$$"""
            name: slow
            tasks:
              nap: { sql: { connection: my, query: "select sleep(600) as {{{marker}}}" } }
            """);

        var handle = await engine.SubmitAsync(flow);
        await WaitUntilAsync(async () => await SleepingAsync(marker) == 1);
        Assert.True(await engine.CancelAsync(handle.RunId));
        var run = await handle.WaitAsync().WaitAsync(SqlTestBed.HardLimit);
        await WaitUntilAsync(async () => await SleepingAsync(marker) == 0);

        Assert.Equal(RunState.Cancelled, run.State);
    }

    [Fact]
    public async Task APool_ReusesItsConnections_AcrossTasks_AndStatusShowsIt()
    {
        await using var handler = _bed.Handler(maxConnections: 2);
        await using var engine = WeftEngine.Create(o =>
        {
            o.Handlers.Add(handler);
            o.Workers = 4;
        });
        var tasks = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"  q{i}: {{ sql: {{ connection: my, query: \"select {i} + @one as n\", params: {{ one: \"1\" }}, result: scalar }} }}"));
        var flow = SqlTestBed.Load($"name: many\ntasks:\n{tasks}\n");

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("21", run.Tasks.Single(t => t.TaskId == "q20").Output);
        var pool = Assert.Single(engine.GetStatus().ConnectionPools, p => p.Name == "my");
        Assert.Equal("mysql", pool.Provider);
        Assert.Equal(20, pool.Leases);
        Assert.InRange(pool.Opened!.Value, 1, 2); // never more than the pool's size, and far fewer than the tasks
        Assert.Equal(0, pool.InUse);
        Assert.Equal(2, pool.MaxConnections);
    }

    [Fact]
    public async Task AMysqlUrlFromTheEnvironment_IsUsed_AndNoPasswordIsEverShown()
    {
        var variables = new Dictionary<string, string>
        {
            ["WEFT_CONNECTION_FROM_ENV"] = TestMySql.Url(_bed.Database),
            ["WEFT_CONNECTION_WRONG_PASSWORD"] = TestMySql.Url(_bed.Database, password: "hunter2-wrong"),
            ["WEFT_CONNECTION_BROKEN"] = "mariadb://weft:hunter2@127.0.0.1:1/nowhere?ConnectionTimeout=2",
        };
        await using var handler = _bed.Handler(environment: n => variables.GetValueOrDefault(n));
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(handler));
        var flow = SqlTestBed.Load("""
            name: env
            tasks:
              ok: { sql: { connection: from-env, query: "select concat(database(), ':', 42)", result: scalar } }
              denied: { sql: { connection: wrong-password, query: "select 1" } }
              down: { sql: { connection: broken, query: "select 1" } }
            """);

        var run = await (await engine.SubmitAsync(flow)).WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal($"{_bed.Database}:42", run.Tasks.Single(t => t.TaskId == "ok").Output);
        var denied = run.Tasks.Single(t => t.TaskId == "denied");
        Assert.Equal(TaskState.Failed, denied.State);
        Assert.StartsWith($"cannot connect to 'wrong-password' (mysql://{TestMySql.Server().Server}:{TestMySql.Server().Port}/{_bed.Database}): Access denied", denied.Error, StringComparison.Ordinal);
        var down = run.Tasks.Single(t => t.TaskId == "down");
        Assert.Equal(TaskState.Failed, down.State);
        Assert.StartsWith("cannot connect to 'broken' (mysql://127.0.0.1:1/nowhere): ", down.Error, StringComparison.Ordinal);
        Assert.All(run.Tasks, t => Assert.DoesNotContain("hunter2", t.Error ?? "", StringComparison.Ordinal));
        Assert.DoesNotContain(TestMySql.Server().Password, denied.Error!, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", JsonSerializer.Serialize(engine.GetStatus().ConnectionPools), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://weft:hunter2@127.0.0.1:1/nowhere?ConnectionTimeout=2")]
    [InlineData("WRONG_PASSWORD")]
    public async Task AConnectionFailure_IsAnError_ForRetryOn(string target)
    {
        var value = target == "WRONG_PASSWORD" ? TestMySql.Url(_bed.Database, password: "hunter2-wrong") : target;
        await using var handler = _bed.Handler(environment: n => n == "WEFT_CONNECTION_DOWN" ? value : null);

        var outcome = await handler.ExecuteAsync(Invocation(new SqlSpec("down", "select 1")));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.True(RetryClassifier.Matches([new RetryCondition(RetryConditionKind.Error)], outcome), outcome.Error);
    }

    [Fact]
    public async Task AMissingTable_FailsTheTask_WithTheServersNumberAndState()
    {
        await using var handler = _bed.Handler();

        var outcome = await handler.ExecuteAsync(Invocation(new SqlSpec("my", "select * from no_such_table")));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("no_such_table' doesn't exist (error 1146, SQLSTATE 42S02)", outcome.Error, StringComparison.Ordinal);
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

    // Statements running on the server whose text holds the marker, other than this one.
    private static async Task<int> SleepingAsync(string marker)
    {
        await using var raw = await TestMySql.OpenRawAsync();
        await using var command = new MySqlCommand("select count(*) from information_schema.processlist where info like @q and id <> connection_id()", raw);
        command.Parameters.AddWithValue("q", $"%sleep(600) as {marker}%");
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
