using Weft.Cluster;
using Weft.Storage.Tests.Postgres;

namespace Weft.Storage.Tests.Sql;

/// <summary>A <c>sql:</c> run on MySQL through a PostgreSQL cluster: the scheduler runs nothing, a worker
/// with the SQL handler runs the tasks, template values travel in the queue rows and are bound there.</summary>
public sealed class MySqlClusterTests : IAsyncLifetime
{
    private readonly MySqlTestBed _bed = new();
    private readonly PostgresSchema _cluster = new();

    public Task InitializeAsync() => _bed.InitializeAsync("CREATE TABLE kv (k varchar(100), v varchar(200)) ENGINE=InnoDB;");

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task AMysqlRun_OnAClusterWorker_BindsItsValuesAndPassesRowsDownstream()
    {
        await using var store = await _cluster.OpenAsync();
        await using var engine = WeftEngine.Create(o =>
        {
            o.Store = store;
            o.Cluster.Schedule = true;
            o.Retention = null;
        });
        await using var handler = _bed.Handler();
        var options = new ClusterWorkerOptions { Name = "w1", Slots = 2, PollEvery = TimeSpan.FromMilliseconds(200) };
        options.Handlers.Add(handler);
        await using var worker = await ClusterWorker.StartAsync(await _cluster.OpenAsync(), options);
        var flow = SqlTestBed.Load("""
            name: cluster-mysql
            params: { key: k1 }
            tasks:
              put:
                sql:
                  connection: my
                  query: "insert into kv values (@k, @v); select k, v from kv"
                  params: { k: "{{ params.key }}", v: "it's {{ run.id }}" }
                  transaction: true
              copy:
                dependsOn: [put]
                sql:
                  connection: my
                  query: "select count(*) from kv where k = @k and v = @v"
                  params: { k: "{{ tasks.put.output.0.k }}", v: "{{ tasks.put.output.0.v }}" }
                  result: scalar
            """);

        var handle = await engine.SubmitAsync(flow, new Dictionary<string, string> { ["key"] = "k1'; --" });
        var run = await handle.WaitAsync().WaitAsync(SqlTestBed.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Tasks, t => Assert.Equal("w1", t.AttemptHistory.Single().Worker));
        Assert.Equal($$"""[{"k":"k1'; --","v":"it's {{handle.RunId}}"}]""", run.Tasks.Single(t => t.TaskId == "put").Output);
        Assert.Equal("1", run.Tasks.Single(t => t.TaskId == "copy").Output);
    }
}
