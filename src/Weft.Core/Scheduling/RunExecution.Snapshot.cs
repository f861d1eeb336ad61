using Weft.Definitions;

namespace Weft.Scheduling;

internal sealed partial class RunExecution
{
    private RunSnapshot? _final;

    /// <summary>A consistent picture; call under the engine's lock (or any time once the run is final).
    /// Secret parameters are masked.</summary>
    public RunSnapshot Snapshot()
    {
        if (State.IsFinal())
        {
            return _final ??= new RunSnapshot(RunId, WorkflowName, State)
            {
                SubmittedAt = SubmittedAt,
                StartedAt = StartedAt,
                FinishedAt = FinishedAt,
                Params = MaskedParams(),
                Tasks = new FinalTaskList(this),
                TriggeredBy = TriggeredBy,
                ParentRunId = ParentRunId,
                ParentTaskId = ParentTaskId,
            };
        }

        var tasks = new TaskSnapshot[Slots.Length];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = TaskSnapshotOf(i);
        }

        return new RunSnapshot(RunId, WorkflowName, State)
        {
            SubmittedAt = SubmittedAt,
            StartedAt = StartedAt,
            FinishedAt = FinishedAt,
            Params = MaskedParams(),
            Tasks = tasks,
            TriggeredBy = TriggeredBy,
            ParentRunId = ParentRunId,
            ParentTaskId = ParentTaskId,
        };
    }

    public TaskSnapshot TaskSnapshotOf(int task)
    {
        ref readonly var slot = ref Slots[task];
        var definition = TaskDef(task);
        return new TaskSnapshot(TaskId(task), definition.Kind, slot.State)
        {
            Attempts = slot.Attempts,
            StartedAt = slot.Attempts > 0 ? slot.StartedAt : null,
            FinishedAt = slot.State.IsFinal() && slot.FinishedAt != default ? slot.FinishedAt : null,
            Output = slot.Output,
            OutputTruncated = slot.OutputTruncated,
            Error = slot.Error,
            ExitCode = slot.ExitCode,
            WaitReason = slot.State is TaskState.Queued or TaskState.Waiting ? slot.WaitReason : null,
            AttemptHistory = History(in slot),
        };
    }

    private static IReadOnlyList<AttemptSnapshot> History(in TaskSlot slot)
    {
        if (slot.Attempts == 0)
        {
            return [];
        }

        var list = new List<AttemptSnapshot>(slot.Attempts);
        if (slot.History is { } past)
        {
            list.AddRange(past);
        }

        // The latest attempt is kept inline unless the task is now waiting to retry (then it moved to History).
        if (list.Count < slot.Attempts)
        {
            list.Add(slot.CurrentAttempt(slot.Attempts));
        }

        return list;
    }

    /// <summary>Like <see cref="Snapshot"/> but with parameters in clear, for retrying the run.</summary>
    public RunSnapshot SnapshotInClear() => Snapshot() with { Params = Params };

    private IReadOnlyDictionary<string, string> MaskedParams()
    {
        var secrets = Plan.Definition.Params;
        if (!secrets.Any(p => p.Secret))
        {
            return Params;
        }

        var masked = new Dictionary<string, string>(Params, StringComparer.Ordinal);
        foreach (var p in secrets.Where(p => p.Secret && masked.ContainsKey(p.Name)))
        {
            masked[p.Name] = "***";
        }

        return masked;
    }
}
