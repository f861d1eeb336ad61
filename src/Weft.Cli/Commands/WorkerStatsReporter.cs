#if WEFT_BENCH
using Weft.Bench;
using Weft.Cluster;
using Weft.Nats;
using Weft.Postgres;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft worker --stats-file PATH</c> (hidden; for a cluster <c>weft bench</c>): keeps
/// <see cref="WorkerStats"/> in PATH while the worker runs and writes it a last time once the worker
/// has stopped, so the benchmark can add this process's statements and commits to the scheduler's (a
/// worker on NATS has no store: it reports none) and tell when it first claimed a task.</summary>
internal sealed class WorkerStatsReporter
{
    private readonly string _path;
    private readonly Func<Reading> _read;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private long _sequence;

    private WorkerStatsReporter(string path, Func<Reading> read)
    {
        _path = path;
        _read = read;
    }

    /// <summary>Null when no path was given. <paramref name="startCalledUtc"/>: just before
    /// <see cref="ClusterWorker.StartAsync"/>, which the worker's first-claim time counts from.</summary>
    public static WorkerStatsReporter? Start(string? path, IWeftStore store, ClusterWorker worker, DateTimeOffset startCalledUtc)
    {
        var postgres = store as PostgresStore;
        return Start(path, () =>
        {
            var stats = worker.Stats;
            var firstClaim = stats.FirstClaimAfter is { } after ? startCalledUtc + after : (DateTimeOffset?)null;
            return new Reading(postgres?.Statements ?? 0, postgres?.Commits ?? 0, stats.Completed, firstClaim);
        });
    }

    /// <summary>A worker on NATS: no store; its first claim is its first pull that returned a task.</summary>
    public static WorkerStatsReporter? Start(string? path, NatsWorker worker) =>
        Start(path, () => new Reading(0, 0, worker.Completed, worker.FirstTaskUtc));

    private static WorkerStatsReporter? Start(string? path, Func<Reading> read)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var reporter = new WorkerStatsReporter(path, read);
        reporter.Write(stopped: false);
        reporter._loop = Task.Run(reporter.LoopAsync);
        return reporter;
    }

    /// <summary>Call after the worker stopped: the last write has every statement it sent.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Write(stopped: true);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(WorkerStats.WriteEvery, _stop.Token).ConfigureAwait(false);
                Write(stopped: false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: StopAsync writes the last one.
        }
    }

    private void Write(bool stopped)
    {
        lock (_gate)
        {
            var now = _read();
            try
            {
                new WorkerStats(++_sequence, now.Statements, now.Commits, now.Completed, now.FirstClaimUtc, stopped).Write(_path);
            }
            catch (IOException)
            {
                // The benchmark reads the next one; a worker must not fail over its statistics.
            }
        }
    }

    private readonly record struct Reading(long Statements, long Commits, long Completed, DateTimeOffset? FirstClaimUtc);
}
#endif
