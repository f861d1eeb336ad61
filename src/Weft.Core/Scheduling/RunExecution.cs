using System.Threading.Channels;
using Weft.Definitions;
using Weft.Execution;
using Weft.Planning;

namespace Weft.Scheduling;

/// <summary>One run: small arrays over a shared <see cref="ExecutionPlan"/>. Mutated only by the
/// <see cref="Scheduler"/>, under the engine's lock; read by handlers (template values of upstream
/// tasks, which are final and so no longer change).</summary>
internal sealed partial class RunExecution
{
    public RunExecution(string runId, ExecutionPlan plan, IReadOnlyDictionary<string, string> parameters, TaskPriority? priority, DateTimeOffset submittedAt)
    {
        RunId = runId;
        Plan = plan;
        Params = parameters;
        PriorityOverride = priority;
        SubmittedAt = submittedAt;
        Slots = new TaskSlot[plan.Count];
        for (var i = 0; i < Slots.Length; i++)
        {
            Slots[i].PendingParents = plan.IndegreeOf(i);
        }
    }

    public string RunId { get; }

    public ExecutionPlan Plan { get; }

    public string WorkflowName => Plan.Definition.Name;

    public IReadOnlyDictionary<string, string> Params { get; }

    public TaskPriority? PriorityOverride { get; }

    public TaskSlot[] Slots { get; private set; }

    public RunState State { get; set; } = RunState.Pending;

    public DateTimeOffset SubmittedAt { get; }

    /// <summary>Who or what started the run (recorded with it); null when not recorded.</summary>
    public string? TriggeredBy { get; set; }

    /// <summary>For a child workflow's run: the run and task that started it (recorded with it); null otherwise.</summary>
    public string? ParentRunId { get; set; }

    /// <inheritdoc cref="ParentRunId"/>
    public string? ParentTaskId { get; set; }

    /// <summary>For a child workflow's run submitted while tracing: its parent run's span, which its own links to.</summary>
    public System.Diagnostics.ActivityContext ParentTrace { get; set; }

    /// <summary>The child runs of this run's <c>workflow:</c> tasks while they run, by task (under the lock).</summary>
    public Dictionary<int, ChildWorkflows.ActiveChild>? Children { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Tasks in a final state.</summary>
    public int FinalCount { get; set; }

    /// <summary>Tasks running on a slot right now.</summary>
    public int RunningCount { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>Starts a run submitted with a not-before time; null otherwise.</summary>
    public ITimer? StartTimer { get; set; }

    /// <summary>Ready tasks waiting because the run has <c>maxParallel</c> tasks running.</summary>
    public Queue<int>? ParkedForParallel { get; set; }

    public int? MaxParallel => Plan.Definition.MaxParallel;

    /// <summary>The <c>wait:</c> tasks waiting now, by task; null until one waits.</summary>
    public Dictionary<int, ActiveWait>? Waits { get; set; }

    /// <summary>Ready tasks held back while the run is paused.</summary>
    public List<int>? Held { get; set; }

    /// <summary>Final tasks that did not succeed (failed, timed out, upstream failed, cancelled).</summary>
    public int UnsuccessfulCount { get; set; }

    /// <summary>Fires when the run is cancelled; every attempt's token links to it.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public TaskCompletionSource<RunSnapshot> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The run's <c>weft.run</c> span while someone traces (Telemetry/WeftTracing); null otherwise.</summary>
    public System.Diagnostics.Activity? TraceSpan { get; set; }

    /// <summary>Live event subscribers; null (no cost) until someone watches.</summary>
    public List<ChannelWriter<RunEvent>>? Watchers { get; set; }

    public TaskPriority PriorityOf(int task) => PriorityOverride ?? TaskDef(task).Priority;

    public void Emit(RunEvent e)
    {
        if (Watchers is not { } watchers)
        {
            return;
        }

        foreach (var w in watchers)
        {
            w.TryWrite(e);
        }
    }

    /// <summary>True once the run's end is announced: on a durable store, only after the batch holding
    /// its final state is committed. Watchers get RunFinished only then, so nothing reports a run
    /// finished that a crash (or a failing store) would leave unfinished.</summary>
    public bool Reported { get; set; }

    /// <summary>Announces the end: RunFinished to every watcher, whose streams then end.</summary>
    public void ReportFinished()
    {
        Reported = true;
        if (Watchers is not null)
        {
            Emit(new RunEvent(RunEventKind.RunFinished, RunId, FinishedAt ?? SubmittedAt) { RunState = State });
        }

        CloseWatchers(error: null);
    }

    /// <summary>Ends every watcher's stream with <paramref name="error"/> (the store could not record the run).</summary>
    public void FailWatchers(Exception error) => CloseWatchers(error);

    private void CloseWatchers(Exception? error)
    {
        if (Watchers is { } watchers)
        {
            foreach (var w in watchers)
            {
                w.TryComplete(error);
            }

            Watchers = null;
        }
    }
}
