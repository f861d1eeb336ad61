using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using NATS.Net;
using Weft.Cluster;

namespace Weft.Nats;

/// <summary>Which workers a NATS cluster has: each <see cref="NatsWorker"/> puts its record in the
/// <see cref="NatsNames.WorkerBucket"/> key-value bucket when it starts and at every heartbeat, and once more
/// marked stopped when it stops cleanly. A reader judges a worker lost when its last put (the NATS server's
/// timestamp) is older than the worker's own dead-after (<see cref="ClusterWorkerOptions.LeaseFor"/>), the
/// same span after which JetStream hands its tasks to other workers. Records of workers gone for longer
/// than <see cref="Memory"/> expire from the bucket.</summary>
internal static class NatsWorkerDirectory
{
    /// <summary>How long a stopped or lost worker stays listed.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromHours(1);

    /// <summary>The bucket (file storage: a bucket in memory is gone after a nats-server restart, and every
    /// worker's heartbeat then fails until it is declared again).</summary>
    public static async Task<INatsKVStore> DeclareAsync(NatsConnection connection, NatsNames names, CancellationToken token)
    {
        var kv = connection.CreateKeyValueStoreContext();
        return await NatsDeclarations.EnsureBucketAsync(kv, new NatsKVConfig(names.WorkerBucket) { Storage = NatsKVStorageType.File, MaxAge = Memory }, token).ConfigureAwait(false);
    }

    public static WorkerRecord RecordOf(ClusterWorkerOptions options, DateTimeOffset startedAt, bool stopped) => new()
    {
        Name = options.Name,
        Host = Environment.MachineName,
        ProcessId = Environment.ProcessId,
        Queues = [.. options.Queues],
        Tags = [.. options.Tags],
        Slots = options.Slots,
        StartedAt = startedAt,
        LeaseForMs = (long)options.LeaseFor.TotalMilliseconds,
        Stopped = stopped,
    };

    public static ValueTask<ulong> PutAsync(INatsKVStore bucket, WorkerRecord record, CancellationToken token) =>
        bucket.PutAsync(NatsNames.WorkerKey(record.Name), JsonSerializer.SerializeToUtf8Bytes(record, NatsJson.Default.WorkerRecord), cancellationToken: token);

    /// <summary>Every worker listed, by name, judged at <paramref name="now"/>.</summary>
    public static async Task<IReadOnlyList<WorkerInfo>> ListAsync(INatsKVStore bucket, DateTimeOffset now, CancellationToken token)
    {
        var workers = new List<WorkerInfo>();
        await foreach (var key in bucket.GetKeysAsync(cancellationToken: token).ConfigureAwait(false))
        {
            var entry = await bucket.TryGetEntryAsync<byte[]>(key, cancellationToken: token).ConfigureAwait(false);
            if (!entry.Success || entry.Value.Value is not { Length: > 0 } data)
            {
                continue;
            }

            WorkerRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(data, NatsJson.Default.WorkerRecord);
            }
            catch (JsonException)
            {
                continue; // not a record this version can read
            }

            if (record is null)
            {
                continue;
            }

            var heartbeat = entry.Value.Created;
            var leaseUntil = heartbeat + TimeSpan.FromMilliseconds(record.LeaseForMs);
            workers.Add(new WorkerInfo
            {
                Name = record.Name,
                Host = record.Host,
                ProcessId = record.ProcessId,
                Queues = record.Queues,
                Tags = record.Tags,
                Slots = record.Slots,
                StartedAt = record.StartedAt,
                HeartbeatAt = heartbeat,
                LeaseUntil = record.Stopped ? null : leaseUntil,
                Stopped = record.Stopped,
                Lost = !record.Stopped && now > leaseUntil,
            });
        }

        workers.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return workers;
    }
}

/// <summary>A worker's entry in <see cref="NatsNames.WorkerBucket"/>.</summary>
internal sealed record WorkerRecord
{
    public required string Name { get; init; }

    public required string Host { get; init; }

    public int ProcessId { get; init; }

    public IReadOnlyList<string> Queues { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public int Slots { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The worker's dead-after in milliseconds: how long after its last put it counts as lost.</summary>
    public long LeaseForMs { get; init; }

    public bool Stopped { get; init; }
}
