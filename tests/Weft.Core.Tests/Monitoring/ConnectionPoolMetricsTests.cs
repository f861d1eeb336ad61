using System.Diagnostics.Metrics;
using Weft.Execution;
using Weft.Monitoring;

namespace Weft.Tests.Monitoring;

/// <summary>Pools a handler holds (the SQL kind's) reach the engine's status and the Weft meter, one
/// series per connection name.</summary>
public sealed class ConnectionPoolMetricsTests
{
    [Fact]
    public async Task AHandlersPools_AreInTheStatus_AndOnTheWeftMeterByConnection()
    {
        await using var engine = WeftEngine.Create(o => o.Handlers.Add(new PooledHandler()));
        using var metrics = new WeftMetrics(engine);
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name.StartsWith("weft_sql_", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => seen[$"{instrument.Name}{{{tags[0].Key}={tags[0].Value}}}"] = value);
        listener.Start();

        listener.RecordObservableInstruments();

        var pool = Assert.Single(engine.GetStatus().ConnectionPools);
        Assert.Equal(("warehouse", "postgres", 3), (pool.Name, pool.Provider, pool.InUse));
        Assert.Equal(20, seen["weft_sql_connections_max{connection=warehouse}"]);
        Assert.Equal(3, seen["weft_sql_connections_in_use{connection=warehouse}"]);
        Assert.Equal(1, seen["weft_sql_connections_waiting{connection=warehouse}"]);
        Assert.Equal(40, seen["weft_sql_connection_leases_total{connection=warehouse}"]);
        Assert.Equal(5, seen["weft_sql_connections_opened_total{connection=warehouse}"]);
    }

    private sealed class PooledHandler : ITaskHandler, IConnectionPoolReporter
    {
        public string Kind => "pooled";

        public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) => ValueTask.FromResult(TaskOutcome.Success);

        public IReadOnlyList<ConnectionPoolStatus> ConnectionPools() =>
            [new ConnectionPoolStatus("warehouse", "postgres") { MaxConnections = 20, InUse = 3, Waiting = 1, Leases = 40, Opened = 5 }];
    }
}
