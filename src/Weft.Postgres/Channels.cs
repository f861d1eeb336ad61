using System.Security.Cryptography;
using System.Text;
using Weft.Cluster;

namespace Weft.Postgres;

/// <summary>Names the store derives from its schema, so two clusters in one database (different
/// schemas) neither wake each other nor share a lock: NOTIFY channels and advisory lock keys.</summary>
internal sealed class Channels
{
    private static readonly (ClusterSignal Signal, string Suffix)[] Suffixes =
    [
        (ClusterSignal.RunSubmitted, "run_submitted"),
        (ClusterSignal.TasksQueued, "tasks_queued"),
        (ClusterSignal.TasksCompleted, "tasks_completed"),
        (ClusterSignal.RunFinished, "run_finished"),
    ];

    private readonly Dictionary<string, ClusterSignal> _bySignalName;

    public Channels(string schema)
    {
        _bySignalName = Suffixes.ToDictionary(s => $"{schema}_{s.Suffix}", s => s.Signal, StringComparer.Ordinal);
        LeaderKey = KeyOf("leader", schema);
        MigrationKey = KeyOf("migrate", schema);
    }

    /// <summary>Advisory lock held (session-scoped) by the leading scheduler.</summary>
    public long LeaderKey { get; }

    /// <summary>Advisory lock held (transaction-scoped) while the schema is created or migrated.</summary>
    public long MigrationKey { get; }

    /// <summary>Every channel name (LISTEN).</summary>
    public IEnumerable<string> All => _bySignalName.Keys;

    /// <summary>The channels of every flag set in <paramref name="signals"/>.</summary>
    public IEnumerable<string> Of(ClusterSignal signals) =>
        _bySignalName.Where(p => (signals & p.Value) != 0).Select(p => p.Key);

    public string Of1(ClusterSignal signal) => Of(signal).Single();

    public ClusterSignal SignalOf(string channel) => _bySignalName.GetValueOrDefault(channel);

    /// <summary>A NOTIFY statement (channel names are validated identifiers, quoted anyway).</summary>
    public static string Notify(string channel) => $"NOTIFY \"{channel}\"";

    private static long KeyOf(string purpose, string schema) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"weft:{purpose}:{schema}")), 0);
}
