using Weft.Storage;

namespace Weft.Scheduling;

/// <summary>Changes for a durable store, appended in the order they happen so that whatever prefix
/// of the journal reached the disk is a consistent past: a task's start is never recorded without
/// the completions of the parents it waited for. Null (no cost at all) for a non-durable store.</summary>
internal sealed partial class Scheduler
{
    public List<StoreChange>? Journal { get; set; }

    /// <summary>Changes waiting for a commit past which no task starts: the journal's back pressure on
    /// dispatch, so that a writer falling behind holds the runners back instead of letting the backlog
    /// grow with the run. The batch the writer is committing does not count (the runners fill the next
    /// one meanwhile), so at most about twice this many changes are uncommitted. Tasks already started
    /// still report their outcomes, so the journal may pass the limit by the changes each of them adds
    /// when it ends. See <see cref="JournalFull"/>.</summary>
    public int JournalLimit { get; set; } = DefaultJournalLimit;

    /// <summary>About 11 MB of changes: large enough that a writer keeping up is never in the way (a
    /// commit takes the rows of some 15,000 tasks at once), small enough that a million-task run on
    /// SQLite no longer holds gigabytes of changes waiting for a commit. Under 65,536 with room to
    /// spare, so that the journal's list, which grows by doubling, stops at that capacity.</summary>
    public const int DefaultJournalLimit = 60_000;

    /// <summary>True when the changes waiting for a commit have reached <see cref="JournalLimit"/>: no
    /// task starts until the writer takes them into a commit. Never true without a journal.</summary>
    public bool JournalFull => Journal is { } journal && journal.Count >= JournalLimit;

    /// <summary>Set when a start was refused because <see cref="JournalFull"/>; the journal writer clears
    /// it and wakes the parked runners once it has taken the backlog into a commit.</summary>
    public bool JournalThrottled { get; set; }

    /// <summary>Ready tasks that a dispatcher may start now: none while the journal is full or a distributed
    /// dispatcher has <see cref="OutstandingLimit"/> attempts out, however many are ready (runners woken for
    /// them would only park again). When the journal's backlog holds ready tasks back, this also asks the
    /// writer to wake the dispatchers once it has taken the backlog into a commit (<see cref="JournalThrottled"/>),
    /// as a refused start does: tasks made ready while every runner was parked (runs started, retries due)
    /// would otherwise wait for a wake-up nobody sends. Ten thousand runs submitted at once on SQLite left
    /// 3,539 of them never started that way.</summary>
    public int TakeStartable()
    {
        if (JournalFull)
        {
            JournalThrottled |= _ready.Count > 0;
            return 0;
        }

        return AtOutstandingLimit ? 0 : _ready.Count;
    }

    /// <summary>Told of each run state change when there is no journal (the in-memory store), so that
    /// the store lists a running or paused run in its state rather than as pending.</summary>
    public Action<RunExecution>? OnRunState { get; set; }

    private void JournalRun(RunExecution run)
    {
        OnRunState?.Invoke(run);
        Journal?.Add(new StoreChange
        {
            Kind = StoreChangeKind.Run,
            RunId = run.RunId,
            RunState = run.State,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
        });
    }

    private void JournalTask(RunExecution run, int task, DateTimeOffset? retryDueAt = null)
    {
        if (Journal is null)
        {
            return;
        }

        ref readonly var slot = ref run.Slots[task];
        Journal.Add(new StoreChange
        {
            Kind = StoreChangeKind.Task,
            RunId = run.RunId,
            TaskId = run.TaskId(task),
            TaskState = slot.State,
            Attempt = slot.Attempts,
            StartedAt = slot.Attempts > 0 ? slot.StartedAt : null,
            FinishedAt = slot.State.IsFinal() ? slot.FinishedAt : null,
            Error = run.MaskSecrets(slot.Error),
            ExitCode = slot.ExitCode,
            RetryDueAt = retryDueAt,
        });
    }

    private void JournalAttempt(RunExecution run, int task)
    {
        if (Journal is null)
        {
            return;
        }

        ref readonly var slot = ref run.Slots[task];
        var change = AttemptChange(run.RunId, run.TaskId(task), slot.Attempts, slot);
        Journal.Add(slot.Error is null && slot.Stderr is null
            ? change
            : change with { Error = run.MaskSecrets(slot.Error), Stderr = run.MaskSecrets(slot.Stderr) });
    }

    public static StoreChange AttemptChange(string runId, string taskId, int number, in TaskSlot slot) => new()
    {
        Kind = StoreChangeKind.Attempt,
        RunId = runId,
        TaskId = taskId,
        Attempt = number,
        StartedAt = slot.AttemptStartedAt,
        FinishedAt = slot.AttemptOutcome is null ? null : slot.AttemptFinishedAt,
        Outcome = slot.AttemptOutcome,
        Output = slot.Output,
        OutputTruncated = slot.OutputTruncated,
        Error = slot.Error,
        ExitCode = slot.ExitCode,
        HttpStatus = slot.HttpStatus,
        Stderr = slot.Stderr,
        Worker = slot.Worker,
    };
}
