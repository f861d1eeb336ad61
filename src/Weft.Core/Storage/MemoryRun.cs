namespace Weft.Storage;

/// <summary>One run inside <see cref="MemoryStore"/>: rows as the durable stores keep them.</summary>
internal sealed class MemoryRun
{
    private readonly Dictionary<string, StoreChange> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<int, StoreChange>> _attempts = new(StringComparer.Ordinal);

    public MemoryRun(RunRecord record)
    {
        Record = record;
        Owner = record.Owner;
    }

    public RunRecord Record { get; }

    /// <summary>Who runs it and until when; null once it is final (as the SQL stores clear it).</summary>
    public RunOwner? Owner { get; set; }

    private RunState _state = RunState.Pending;
    private DateTimeOffset? _startedAt;
    private DateTimeOffset? _finishedAt;

    /// <summary>The engine's final picture of the run, when it ran in this process.</summary>
    public RunSnapshot? Final
    {
        get;
        set
        {
            field = value;
            Owner = null;
        }
    }

    public RunState State => Final?.State ?? _state;

    public DateTimeOffset? StartedAt => Final?.StartedAt ?? _startedAt;

    public DateTimeOffset? FinishedAt => Final?.FinishedAt ?? _finishedAt;

    public void Apply(in StoreChange change)
    {
        switch (change.Kind)
        {
            case StoreChangeKind.Run:
                _state = change.RunState;
                _startedAt = change.StartedAt ?? _startedAt;
                _finishedAt = change.FinishedAt;
                if (change.RunState.IsFinal())
                {
                    Owner = null;
                }

                break;
            case StoreChangeKind.Task:
                _tasks[change.TaskId!] = change;
                break;
            case StoreChangeKind.Attempt:
                if (!_attempts.TryGetValue(change.TaskId!, out var attempts))
                {
                    _attempts[change.TaskId!] = attempts = [];
                }

                attempts[change.Attempt] = change;
                break;
        }
    }

    public RunSummary Summary() => new(Record.RunId, Record.Definition.Name, State, Record.SubmittedAt)
    {
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        TriggeredBy = Record.TriggeredBy,
        ParentRunId = Record.ParentRunId,
        ParentTaskId = Record.ParentTaskId,
    };

    public string? OutputOf(string taskId, int? attempt)
    {
        if (!_attempts.TryGetValue(taskId, out var attempts) || attempts.Count == 0)
        {
            return null;
        }

        var number = attempt ?? attempts.Keys.Max();
        return attempts.TryGetValue(number, out var a) ? a.Output : null;
    }

    public RunSnapshot Snapshot(bool maskSecrets = true)
    {
        if (Final is { } final && maskSecrets)
        {
            return final;
        }

        var tasks = Record.Definition.Tasks.Select(t => TaskOf(t.Id, t.Kind) is var task && task.State == TaskState.Waiting
            ? task with { WaitReason = Waiting.WaitReasons.Of(t, task, Record.RunId) }
            : task).ToList();

        // Instances of map tasks (convert[17]) follow the definition's tasks, by task then index.
        foreach (var (id, kind) in Mapping.MapInstanceIds.InstancesIn(Record.Definition, _tasks.Keys))
        {
            tasks.Add(TaskOf(id, kind));
        }

        var parameters = Record.Params;
        if (maskSecrets && Record.Definition.Params.Any(p => p.Secret))
        {
            var masked = new Dictionary<string, string>(parameters, StringComparer.Ordinal);
            foreach (var p in Record.Definition.Params.Where(p => p.Secret && masked.ContainsKey(p.Name)))
            {
                masked[p.Name] = "***";
            }

            parameters = masked;
        }

        return new RunSnapshot(Record.RunId, Record.Definition.Name, State)
        {
            SubmittedAt = Record.SubmittedAt,
            StartedAt = StartedAt,
            FinishedAt = FinishedAt,
            Params = parameters,
            Tasks = tasks,
            TriggeredBy = Record.TriggeredBy,
            ParentRunId = Record.ParentRunId,
            ParentTaskId = Record.ParentTaskId,
        };
    }

    private TaskSnapshot TaskOf(string id, string kind)
    {
        _attempts.TryGetValue(id, out var attempts);
        var history = attempts?.Values.Select(a => new AttemptSnapshot(a.Attempt, a.StartedAt ?? default)
        {
            FinishedAt = a.FinishedAt,
            Outcome = a.Outcome,
            ExitCode = a.ExitCode,
            HttpStatus = a.HttpStatus,
            Error = a.Error,
            Stderr = a.Stderr,
            Worker = a.Worker,
        }).ToList() ?? [];
        var last = attempts?.Values.LastOrDefault();
        if (!_tasks.TryGetValue(id, out var row))
        {
            return new TaskSnapshot(id, kind, TaskState.Pending);
        }

        return new TaskSnapshot(id, kind, row.TaskState)
        {
            Attempts = row.Attempt,
            StartedAt = row.StartedAt,
            FinishedAt = row.FinishedAt,
            Output = last?.Output,
            OutputTruncated = last?.OutputTruncated ?? false,
            Error = row.Error,
            ExitCode = row.ExitCode,
            RetryDueAt = row.RetryDueAt,
            AttemptHistory = history,
        };
    }
}
