using Weft.Definitions.Loading;

namespace Weft.Definitions.Validation;

/// <summary>One validation of one definition: gathers every error, each at the most precise place
/// known (a field from the <see cref="SourceMap"/>, else the task, else none).</summary>
internal sealed partial class ValidationRun
{
    private readonly WorkflowDefinition _def;
    private readonly IReadOnlyCollection<string> _kinds;
    private readonly SourceMap? _map;
    private readonly bool _checkValues;
    private readonly List<WorkflowError> _errors = [];

    // Hints against the file's own names cost names × errors; the budget keeps that linear.
    private readonly SuggestionBudget _hints = new();

    // First index of each id; later duplicates are reported and otherwise ignored. Sized once: grown
    // by doubling, a million ids left some 60 MB of outgrown tables behind.
    private readonly Dictionary<string, int> _index;

    public ValidationRun(WorkflowDefinition def, IReadOnlyCollection<string> kinds, SourceMap? map, bool checkValues)
    {
        _def = def;
        _index = new(def.Tasks.Count, StringComparer.Ordinal);
        _kinds = kinds;
        _map = map;
        _checkValues = checkValues;
    }

    /// <summary>Each task id's index (its first, where ids repeat).</summary>
    public Dictionary<string, int> Index => _index;

    public IReadOnlyList<WorkflowError> Run()
    {
        CheckWorkflow();
        CheckParams();
        for (var i = 0; i < _def.Tasks.Count; i++)
        {
            CheckTask(i);
        }

        for (var i = 0; i < _def.Tasks.Count; i++)
        {
            CheckDependencies(i);
        }

        CheckCycles();
        for (var i = 0; i < _def.Tasks.Count; i++)
        {
            CheckTemplates(i);
        }

        return _errors;
    }

    private void CheckWorkflow()
    {
        var place = _map?.Find(SourceMap.Workflow, FieldPaths.Name) ?? _def.Location;
        if (string.IsNullOrEmpty(_def.Name))
        {
            Error(place, "the workflow has no name");
        }
        else if (!Names.IsValidWorkflowName(_def.Name))
        {
            Error(place, $"invalid workflow name '{_def.Name}'; use letters, digits, '.', '_' and '-'");
        }

        if (_checkValues && ValueChecks.Deadline(_def.Deadline) is { } deadlineProblem)
        {
            Error(_def.Location, $"{deadlineProblem} in the workflow");
        }

        if (_def.Tasks.Count == 0)
        {
            Error(_map?.Find(SourceMap.Workflow, "tasks") ?? _def.Location, "the workflow has no tasks");
        }
    }

    private void CheckParams()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var param in _def.Params)
        {
            if (!Names.IsValidId(param.Name))
            {
                Error(param.Location, $"invalid param name '{param.Name}'; use letters, digits, '_' and '-'");
            }
            else if (!seen.Add(param.Name))
            {
                Error(param.Location, $"param '{param.Name}' is declared twice");
            }
        }
    }

    private void CheckTask(int i)
    {
        var task = _def.Tasks[i];
        if (!Names.IsValidId(task.Id))
        {
            Error(task.Location, $"invalid task id '{task.Id}'; use letters, digits, '_' and '-'");
        }
        else if (!_index.TryAdd(task.Id, i))
        {
            Error(task.Location, $"duplicate task id '{task.Id}'");
        }

        if (!_kinds.Contains(task.Kind))
        {
            Error(Place(i, FieldPaths.Kind), $"task '{task.Id}' has unknown kind '{task.Kind}'; known kinds: {string.Join(", ", _kinds)}");
        }

        if (task.Spec is HttpSpec http && !(http.Method.Length > 0 && http.Method.All(char.IsAsciiLetter)))
        {
            Error(Place(i, "http.method"), $"bad HTTP method '{http.Method}' in task '{task.Id}'");
        }

        CheckSpec(i);
        CheckMap(i);
        if (_checkValues)
        {
            CheckValues(i, task);
        }
    }

    private void CheckValues(int i, TaskDefinition task)
    {
        // Only an error needs it: built for each task, it was a string per task of every valid workflow.
        var ctx = new TaskContext(task.Id);
        if (ValueChecks.Timeout(task.Timeout) is { } timeoutProblem)
        {
            Error(Place(i, FieldPaths.Timeout), $"{timeoutProblem} {ctx}");
        }

        foreach (var (field, message) in ValueChecks.Retry(task.Retry))
        {
            Error(Place(i, FieldPaths.Member(FieldPaths.Retry, field)), $"retry {ctx}: {message}");
        }

        if (!ValueChecks.IsLimitName(task.Queue))
        {
            Error(task.Location, $"'queue' {ctx} must be letters, digits, '.', '_' or '-', not '{task.Queue}'");
        }

        var empty = task.Spec switch
        {
            FunctionSpec f when string.IsNullOrWhiteSpace(f.Name) => "function name",
            _ => null,
        };
        if (empty is not null)
        {
            Error(task.Location, $"task '{task.Id}' has an empty {empty}");
        }

        if (ValueChecks.Deadline(task.Deadline) is { } deadlineProblem)
        {
            Error(task.Location, $"{deadlineProblem} {ctx}");
        }

        if (task.Cache?.Ttl is { } ttl && Durations.TooLong("ttl", ttl) is { } ttlProblem)
        {
            Error(task.Location, $"{ttlProblem} for the cache {ctx}");
        }

        switch (task.Spec)
        {
            case SleepSpec { Duration.Ticks: < 0 }:
                Error(task.Location, $"sleep {ctx} must not be negative");
                break;
            case SleepSpec s when Durations.TooLong("sleep", s.Duration) is { } problem:
                Error(task.Location, $"{problem} {ctx}");
                break;
            case HttpSpec h when ValueChecks.Timeout(h.Timeout) is { } problem:
                Error(task.Location, $"http {problem} {ctx}");
                break;
            case HttpSpec { ExpectStatus: { } statuses } when statuses.Any(s => s is < 100 or > 599):
                Error(task.Location, $"'expectStatus' {ctx} must hold HTTP statuses from 100 to 599");
                break;
        }
    }

    private void CheckDependencies(int i)
    {
        var task = _def.Tasks[i];
        // One dependency cannot repeat: most tasks need no set (a million of them made a million sets).
        var seen = task.DependsOn.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var j = 0; j < task.DependsOn.Count; j++)
        {
            var dep = task.DependsOn[j];
            var place = Place(i, FieldPaths.Item(FieldPaths.DependsOn, j));
            if (dep == task.Id)
            {
                Error(place, $"task '{task.Id}' depends on itself");
            }
            else if (!_index.ContainsKey(dep))
            {
                Error(place, $"task '{task.Id}' depends on unknown task '{dep}'{_hints.Hint(dep, _index.Keys)}");
            }
            else if (seen is not null && !seen.Add(dep))
            {
                Error(place, $"task '{task.Id}' depends on '{dep}' twice");
            }
        }
    }

    /// <summary>The place of a task's field, falling back to the task's own place.</summary>
    private SourceLocation? Place(int task, string field, int? offset = null) =>
        _map?.Find(task, field, offset) ?? _def.Tasks[task].Location;

    private void Error(SourceLocation? place, string message) => _errors.Add(new WorkflowError(place, message));

    /// <summary>"in task 'ID'" in an error message, written only when one is.</summary>
    private readonly struct TaskContext(string id)
    {
        public override string ToString() => $"in task '{id}'";
    }
}
