using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Server.Runs;
using Weft.Server.Workflows;

namespace Weft.Server.Schedules;

/// <summary>Starts a run for every schedule tick that comes due. Time is the server's
/// <see cref="TimeProvider"/>, so tests drive it with a fake clock. Each tick is submitted with the
/// dedup key <c>schedule:NAME:TICK</c>, so two runners sharing a book and dedup table start it once.</summary>
internal sealed partial class ScheduleRunner(
    WeftEngine engine,
    ScheduleBook book,
    WorkflowRegistry registry,
    RunSubmitter submitter,
    TimeProvider time,
    IOptions<WeftServerOptions> options,
    ILogger<ScheduleRunner> logger) : BackgroundService
{
    // A schedule of every second after a week of downtime with catchUp: all would otherwise start
    // 600,000 runs in one go; the rest are dropped with a warning.
    private const int CatchUpLimit = 1000;

    // Re-read the book at least this often, in case a wake-up was missed.
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Starts the runs due now; returns their ids (deduplicated ticks included).</summary>
    public async Task<IReadOnlyList<string>> RunDueAsync(CancellationToken cancellationToken = default)
    {
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        var started = new List<string>();
        foreach (var (entry, tick) in book.TakeDue(time.GetUtcNow(), options.Value.ScheduleGrace, CatchUpLimit))
        {
            if (registry.Find(entry.Name) is not { } workflow)
            {
                continue;
            }

            try
            {
                var outcome = await submitter.SubmitAsync(
                    new SubmitCommand(workflow.Definition) { DedupKey = DedupKey(entry.Name, tick), RunId = TickRunId(entry.Name, tick) }, cancellationToken).ConfigureAwait(false);
                book.Update(entry.Name, e => (e.LastTick, e.LastRunId) = (tick, outcome.RunId));
                started.Add(outcome.RunId);
                LogTick(logger, entry.Name, tick, outcome.RunId, outcome.Deduplicated);
            }
            catch (Exception ex) when (ex is WeftConfigurationException or Definitions.WorkflowValidationException)
            {
                LogTickFailed(logger, entry.Name, tick, ex.Message);
            }
        }

        return started;
    }

    // How far back a restarted server looks for the last tick it (or another server) handled.
    private static readonly TimeSpan ReconcileWindow = TimeSpan.FromDays(7);
    private const int ReconcileTicks = 200;

    /// <summary>A schedule starts out evaluated up to when it was registered, which after a restart
    /// would forget the downtime. Tick run ids are derived from the tick, so the store says which
    /// recent ticks already have a run: the newest such tick is where evaluation really stopped, and
    /// the ticks after it are missed ones for catchUp to decide.</summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in book.All().Where(e => !e.Reconciled))
        {
            var registeredAt = entry.Evaluated;
            var recent = entry.Schedule.Expression()
                .GetOccurrences(registeredAt - ReconcileWindow, registeredAt, entry.Schedule.Zone(), fromInclusive: true, toInclusive: true)
                .TakeLast(ReconcileTicks)
                .Reverse();
            DateTimeOffset? handled = null;
            foreach (var tick in recent)
            {
                if (await engine.Store.GetRunAsync(TickRunId(entry.Name, tick), cancellationToken).ConfigureAwait(false) is not null)
                {
                    handled = tick;
                    break;
                }
            }

            book.Update(entry.Name, e =>
            {
                e.Reconciled = true;
                if (handled is { } h && h < e.Evaluated)
                {
                    e.Evaluated = h;
                }
            });
        }
    }

    public static string DedupKey(string workflow, DateTimeOffset tick) => $"schedule:{workflow}:{tick.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";

    /// <summary>The run id of a tick: derived from its dedup key, so every server that shares the store
    /// computes the same id and the store lets only one of them create the run.</summary>
    public static string TickRunId(string workflow, DateTimeOffset tick) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(DedupKey(workflow, tick))))[..32];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.EnableSchedules)
        {
            return;
        }

        book.Changed += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunDueAsync(stoppingToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var sleep = book.NextTick(now) is { } next ? next - now : MaxSleep;
                sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep;
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(sleep, time, cts.Token);
                await Task.WhenAny(delay, _wake.WaitAsync(cts.Token)).ConfigureAwait(false);
                await cts.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (ObjectDisposedException)
        {
            // The engine stopped under us while the host shuts down.
        }
        finally
        {
            book.Changed -= Wake;
        }
    }

    private void Wake() => _wake.Release();

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Workflow}: tick {Tick:O} → run {RunId} (already started: {Deduplicated})")]
    private static partial void LogTick(ILogger logger, string workflow, DateTimeOffset tick, string runId, bool deduplicated);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Workflow}: tick {Tick:O} could not start: {Error}")]
    private static partial void LogTickFailed(ILogger logger, string workflow, DateTimeOffset tick, string error);
}
