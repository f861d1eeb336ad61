#if WEFT_BENCH
using Weft.Bench;
using Weft.Cluster;
using Weft.Postgres;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft worker --stats-file PATH</c> (hidden; for <c>weft bench --store postgres://…</c>):
/// keeps <see cref="WorkerStats"/> in PATH while the worker runs and writes it a last time once the worker
/// has stopped, so the benchmark can add this process's statements and commits to the scheduler's.</summary>
internal sealed class WorkerStatsReporter
{
    private readonly string _path;
    private readonly PostgresStore? _store;
    private readonly ClusterWorker _worker;
    private readonly DateTimeOffset _startCalledUtc;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private long _sequence;

    private WorkerStatsReporter(string path, IWeftStore store, ClusterWorker worker, DateTimeOffset startCalledUtc)
    {
        _path = path;
        _store = store as PostgresStore;
        _worker = worker;
        _startCalledUtc = startCalledUtc;
    }

    /// <summary>Null when no path was given. <paramref name="startCalledUtc"/>: just before
    /// <see cref="ClusterWorker.StartAsync"/>, which the worker's first-claim time counts from.</summary>
    public static WorkerStatsReporter? Start(string? path, IWeftStore store, ClusterWorker worker, DateTimeOffset startCalledUtc)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var reporter = new WorkerStatsReporter(path, store, worker, startCalledUtc);
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
            var stats = _worker.Stats;
            var firstClaim = stats.FirstClaimAfter is { } after ? _startCalledUtc + after : (DateTimeOffset?)null;
            try
            {
                new WorkerStats(++_sequence, _store?.Statements ?? 0, _store?.Commits ?? 0, stats.Completed, firstClaim, stopped).Write(_path);
            }
            catch (IOException)
            {
                // The benchmark reads the next one; a worker must not fail over its statistics.
            }
        }
    }
}
#endif
