using System.Diagnostics;
using Npgsql;

namespace Weft.Bench;

/// <summary>The PostgreSQL store's own queue as a cluster benchmark's transport: the engine schedules
/// (<c>Cluster.Schedule</c>, as <c>weft server --store postgres://…</c> runs it) and workers claim from the
/// schema's queue table.</summary>
internal sealed class PostgresBenchQueue(PostgresBenchSchema schema) : IClusterBenchTransport
{
    public string? Name => null;

    public string Describe() => "the store's queue";

    public void Configure(WeftOptions options) => options.Cluster.Schedule = true;

    public void ConfigureWorker(ProcessStartInfo worker)
    {
        worker.Environment["WEFT_STORE"] = schema.WorkerStore;

        // A transport the user's environment names would take the worker off the queue measured here.
        foreach (var variable in NatsBenchStreams.WorkerVariables)
        {
            worker.Environment.Remove(variable);
        }
    }

    public async Task<long> QueuedAsync(CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(schema.ConnectionString);
        await db.OpenAsync(ct);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{schema.Schema}\".queue", db);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
