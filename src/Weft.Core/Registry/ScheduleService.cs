using System.Security.Cryptography;
using System.Text;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Registry;

/// <summary>The schedules of registered workflows (<see cref="WeftEngine.Schedules"/>): list, pause,
/// resume and trigger them, and start the runs of the ticks that come due. Schedule state lives in the
/// store; each tick is claimed with a compare-and-set of the schedule's evaluation time there, so of
/// several engines on one store exactly one starts it. Time is the engine's <see cref="TimeProvider"/>.</summary>
public sealed partial class ScheduleService
{
    // A schedule of every second after a week of downtime with catchUp: all would otherwise start
    // 600,000 runs in one go; the rest are dropped.
    private const int CatchUpLimit = 1000;

    private readonly WeftEngine _engine;
    private readonly IRegistryStore _store;
    private readonly WorkflowRegistry _workflows;
    private readonly TimeProvider _time;
    private readonly ScheduleOptions _options;

    internal ScheduleService(WeftEngine engine, IRegistryStore store, WorkflowRegistry workflows, TimeProvider time, ScheduleOptions options)
    {
        _engine = engine;
        _store = store;
        _workflows = workflows;
        _time = time;
        _options = options;
    }

    /// <summary>Raised (on the runner's thread) with the id of each run a tick or a trigger started.</summary>
    public event Action<string>? RunStarted;

    /// <summary>Every schedule, by workflow name.</summary>
    public async ValueTask<IReadOnlyList<ScheduleStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var list = new List<ScheduleStatus>();
        foreach (var (stored, _, schedule) in await ActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Status(stored, schedule, now));
        }

        return list;
    }

    /// <summary>One workflow's schedule; null when it has none.</summary>
    public async ValueTask<ScheduleStatus?> FindAsync(string workflow, CancellationToken cancellationToken = default) =>
        await FindActiveAsync(workflow, cancellationToken).ConfigureAwait(false) is { } found
            ? Status(found.Stored, found.Schedule, _time.GetUtcNow())
            : null;

    /// <summary>Stops starting runs: ticks while paused are skipped, not caught up. Null when the workflow has no schedule.</summary>
    public ValueTask<ScheduleStatus?> PauseAsync(string workflow, CancellationToken cancellationToken = default) =>
        SetPausedAsync(workflow, true, cancellationToken);

    /// <summary>Starts runs again from the next tick (the ticks while paused stay skipped). Null when the workflow has no schedule.</summary>
    public ValueTask<ScheduleStatus?> ResumeAsync(string workflow, CancellationToken cancellationToken = default) =>
        SetPausedAsync(workflow, false, cancellationToken);

    /// <summary>Starts a run of the scheduled workflow (its latest version) now, outside its ticks; null
    /// when the workflow has no schedule. Throws as <see cref="WeftEngine.SubmitAsync"/> does.</summary>
    public async ValueTask<RunHandle?> TriggerAsync(string workflow, CancellationToken cancellationToken = default)
    {
        if (await FindActiveAsync(workflow, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return null;
        }

        var handle = await _engine.SubmitAsync(found.Workflow.Definition, options: new SubmitOptions { TriggeredBy = "schedule (triggered now)" },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await _store.RecordScheduleRunAsync(workflow, null, handle.RunId, cancellationToken).ConfigureAwait(false);
        RunStarted?.Invoke(handle.RunId);
        return handle;
    }

    /// <summary>Starts the runs of the ticks due now (which missed ticks run follows each schedule's
    /// catchUp) and returns their ids, including ticks another engine had started already under the
    /// same id. The background runner calls this at each tick; tests and hosts without it may too.</summary>
    public async ValueTask<IReadOnlyList<string>> RunDueAsync(CancellationToken cancellationToken = default) =>
        (await RunDueCoreAsync(cancellationToken).ConfigureAwait(false)).Started;

    /// <summary>The dedup key of a tick: the workflow and the tick in UTC.</summary>
    public static string DedupKey(string workflow, DateTimeOffset tick) => $"schedule:{workflow}:{tick.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";

    /// <summary>The run id of a tick, derived from its dedup key: every engine on the store computes the
    /// same id, so even a tick claimed twice (a store restored from backup) cannot start two runs.</summary>
    public static string TickRunId(string workflow, DateTimeOffset tick) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DedupKey(workflow, tick))))[..32];

    private async ValueTask<(IReadOnlyList<string> Started, DateTimeOffset? NextTick)> RunDueCoreAsync(CancellationToken cancellationToken)
    {
        var started = new List<string>();
        DateTimeOffset? next = null;
        foreach (var (stored, workflow, schedule) in await ActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = _time.GetUtcNow();
            if (now > stored.Evaluated && _engine.AcceptsRuns
                && await _store.AdvanceScheduleAsync(stored.Workflow, stored.Evaluated, now, cancellationToken).ConfigureAwait(false))
            {
                // This engine won the ticks in (Evaluated, now]; another engine that read the same
                // Evaluated lost the compare-and-set and starts none of them.
                foreach (var tick in stored.Paused ? [] : Due(schedule, stored.Evaluated, now))
                {
                    if (await StartTickAsync(workflow, tick, cancellationToken).ConfigureAwait(false) is { } runId)
                    {
                        started.Add(runId);
                    }
                }
            }

            if (!stored.Paused && NextAfter(schedule, now) is { } t && (next is null || t < next))
            {
                next = t;
            }
        }

        return (started, next);
    }

    private IEnumerable<DateTimeOffset> Due(ScheduleDefinition schedule, DateTimeOffset evaluated, DateTimeOffset now)
    {
        var ticks = schedule.Expression().GetOccurrences(evaluated, now, schedule.Zone(), fromInclusive: false, toInclusive: true);
        return schedule.CatchUp switch
        {
            ScheduleCatchUp.All => ticks.Take(CatchUpLimit),
            ScheduleCatchUp.Latest => ticks.TakeLast(1),
            _ => ticks.Where(t => now - t <= _options.Grace).TakeLast(1),
        };
    }

    private async ValueTask<string?> StartTickAsync(RegisteredWorkflow workflow, DateTimeOffset tick, CancellationToken cancellationToken)
    {
        var runId = TickRunId(workflow.Name, tick);
        try
        {
            var options = new SubmitOptions
            {
                RunId = runId,
                DedupKey = DedupKey(workflow.Name, tick),
                TriggeredBy = $"schedule {tick.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}",
            };
            runId = (await _engine.SubmitAsync(workflow.Definition, options: options, cancellationToken: cancellationToken).ConfigureAwait(false)).RunId;
            RunStarted?.Invoke(runId);
        }
        catch (WeftDuplicateRunException)
        {
            // Already started under this id (by another engine on the store): the tick is dealt with.
        }
        catch (Exception ex) when (ex is WeftConfigurationException or WorkflowValidationException)
        {
            // The workflow cannot run here (a function this engine lacks, a required parameter with no
            // default): the tick is skipped; the error is kept for status.
            LastError = $"schedule {workflow.Name}: tick {tick:O} could not start: {ex.Message}";
            return null;
        }

        await _store.RecordScheduleRunAsync(workflow.Name, tick, runId, cancellationToken).ConfigureAwait(false);
        return runId;
    }

    /// <summary>The last tick that could not start, or the last store failure of the runner; null when none.</summary>
    public string? LastError { get; private set; }

    private async ValueTask<ScheduleStatus?> SetPausedAsync(string workflow, bool paused, CancellationToken cancellationToken)
    {
        // Resuming marks the ticks while paused as dealt with, so catchUp does not replay them.
        if (!await _store.SetSchedulePausedAsync(workflow, paused, paused ? null : _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        Wake();
        return await FindAsync(workflow, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stored schedules whose workflow's latest version has a schedule, with that version.</summary>
    private async ValueTask<List<(StoredSchedule Stored, RegisteredWorkflow Workflow, ScheduleDefinition Schedule)>> ActiveAsync(CancellationToken cancellationToken)
    {
        var active = new List<(StoredSchedule, RegisteredWorkflow, ScheduleDefinition)>();
        foreach (var stored in await _store.ListSchedulesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await _workflows.FindAsync(stored.Workflow, cancellationToken: cancellationToken).ConfigureAwait(false) is { Definition.Schedule: { } schedule } workflow)
            {
                active.Add((stored, workflow, schedule));
            }
        }

        return active;
    }

    private async ValueTask<(StoredSchedule Stored, RegisteredWorkflow Workflow, ScheduleDefinition Schedule)?> FindActiveAsync(string name, CancellationToken cancellationToken) =>
        await _store.GetScheduleAsync(name, cancellationToken).ConfigureAwait(false) is { } stored
        && await _workflows.FindAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false) is { Definition.Schedule: { } schedule } workflow
            ? (stored, workflow, schedule)
            : null;

    private static ScheduleStatus Status(StoredSchedule stored, ScheduleDefinition schedule, DateTimeOffset now) =>
        new(stored.Workflow, schedule, stored.Paused, stored.Paused ? null : NextAfter(schedule, now), stored.LastTick, stored.LastRunId);

    private static DateTimeOffset? NextAfter(ScheduleDefinition schedule, DateTimeOffset from) =>
        schedule.Expression().GetNextOccurrence(from, schedule.Zone(), inclusive: false);
}
