using System.Diagnostics;

namespace Weft.Bench;

/// <summary>How a cluster benchmark's started tasks reach its worker processes (<see cref="ClusterBench"/>):
/// the store's own queue (PostgreSQL) or a NATS JetStream server.</summary>
internal interface IClusterBenchTransport : IAsyncDisposable
{
    /// <summary>As results name it ("nats"); null for the store's own queue.</summary>
    string? Name { get; }

    /// <summary>For the progress line (never with credentials).</summary>
    string Describe();

    /// <summary>Makes an engine over the session's store the scheduler of this transport.</summary>
    void Configure(WeftOptions options);

    /// <summary>How a <c>weft worker</c> of the session reaches its tasks: environment variables rather than
    /// flags, so no password shows in the process list.</summary>
    void ConfigureWorker(ProcessStartInfo worker);

    /// <summary>Started tasks waiting for a worker now.</summary>
    Task<long> QueuedAsync(CancellationToken ct);
}
