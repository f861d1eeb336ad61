using System.Text.Json.Nodes;

namespace Weft.Definitions;

/// <summary>One task of a <see cref="WorkflowBuilder"/>. Exactly one kind method must be called;
/// the others may be called in any order.</summary>
public sealed class TaskBuilder
{
    private readonly string _id;
    private readonly List<TaskSpec> _specs = [];
    private readonly List<string> _dependsOn = [];
    private TimeSpan? _timeout;
    private RetryPolicy _retry = RetryPolicy.None;
    private TaskPriority _priority = TaskPriority.Normal;
    private TriggerRule _trigger = TriggerRule.AllSuccess;
    private DeadlineSpec? _deadline;
    private CachePolicy? _cache;
    private string _queue = TaskDefinition.DefaultQueue;
    private MapSpec? _map;

    internal TaskBuilder(string id) => _id = id;

    /// <summary>Runs <paramref name="command"/> with <c>/bin/sh -c</c>, or as a program with <paramref name="args"/> and no shell (see <see cref="ShellSpec"/>).</summary>
    public TaskBuilder Shell(string command, IReadOnlyList<string>? args = null, string? workDir = null, IReadOnlyDictionary<string, string>? env = null) =>
        Kind(new ShellSpec(command) { Args = args, WorkDir = workDir, Env = env });

    /// <summary>Sends an HTTP request; <paramref name="method"/> is upper-cased. Any 2xx counts as success.</summary>
    public TaskBuilder Http(string method, string url, string? body = null, IReadOnlyDictionary<string, string>? headers = null) =>
        Kind(new HttpSpec(method?.ToUpperInvariant() ?? string.Empty, url) { Body = body, Headers = headers });

    /// <summary>Calls the registered C# function <paramref name="name"/> with <paramref name="with"/> as its arguments.</summary>
    public TaskBuilder Function(string name, JsonObject? with = null) => Kind(new FunctionSpec(name) { With = with });

    /// <summary>Waits <paramref name="duration"/>, then succeeds.</summary>
    public TaskBuilder Sleep(TimeSpan duration) => Kind(new SleepSpec(duration));

    /// <summary>Does nothing and succeeds (joins and placeholders).</summary>
    public TaskBuilder Noop() => Kind(NoopSpec.Instance);

    /// <summary>Sets the task's kind to <paramref name="spec"/>, e.g. a <see cref="CustomSpec"/> for a kind added with an <c>ITaskHandler</c>.</summary>
    public TaskBuilder Kind(TaskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _specs.Add(spec);
        return this;
    }

    /// <summary>Adds upstream tasks by id; the task waits for them (see <see cref="Trigger"/>).</summary>
    public TaskBuilder DependsOn(params string[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _dependsOn.AddRange(ids);
        return this;
    }

    /// <summary>Limits one attempt to <paramref name="timeout"/>; by default there is none.</summary>
    public TaskBuilder Timeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    /// <summary>Tries a failed task again as <paramref name="policy"/> says; default <see cref="RetryPolicy.None"/>.</summary>
    public TaskBuilder Retry(RetryPolicy policy)
    {
        _retry = policy ?? throw new ArgumentNullException(nameof(policy));
        return this;
    }

    /// <summary>Orders the task among ready tasks; default <see cref="TaskPriority.Normal"/>.</summary>
    public TaskBuilder Priority(TaskPriority priority)
    {
        _priority = priority;
        return this;
    }

    /// <summary>The task should be done this long after its run was submitted (see <see cref="DeadlineSpec"/>).</summary>
    public TaskBuilder Deadline(TimeSpan afterSubmit)
    {
        _deadline = DeadlineSpec.AfterSubmit(afterSubmit);
        return this;
    }

    /// <summary>The task should be done by this time.</summary>
    public TaskBuilder Deadline(DateTimeOffset at)
    {
        _deadline = DeadlineSpec.AtTime(at);
        return this;
    }

    /// <summary>When the task runs given its upstream outcomes; default <see cref="TriggerRule.AllSuccess"/>.</summary>
    public TaskBuilder Trigger(TriggerRule rule)
    {
        _trigger = rule;
        return this;
    }

    /// <summary>Reuses an earlier successful output of the same work (<c>cache:</c>); null (the
    /// default) for none.</summary>
    public TaskBuilder Cache(CachePolicy? policy)
    {
        _cache = policy;
        return this;
    }

    /// <summary>Runs the task once per element of the JSON array <paramref name="over"/> resolves to
    /// (<c>map:</c>), at most <paramref name="maxParallel"/> instances at once (null: no own limit).</summary>
    public TaskBuilder Map(string over, int? maxParallel = null)
    {
        _map = new MapSpec(over ?? throw new ArgumentNullException(nameof(over))) { MaxParallel = maxParallel };
        return this;
    }

    /// <summary>Routes the task to workers serving <paramref name="queue"/> (<c>queue:</c>); the
    /// default is <c>"default"</c>. Letters, digits, '.', '_' or '-'.</summary>
    public TaskBuilder Queue(string queue)
    {
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        return this;
    }

    /// <summary>The task as a record; a missing or doubled kind goes to <paramref name="errors"/> and
    /// a stand-in kind is used so the rest of the workflow can still be checked.</summary>
    internal TaskDefinition ToDefinition(List<WorkflowError> errors)
    {
        if (_specs.Count == 0)
        {
            errors.Add(new WorkflowError(null, $"task '{_id}' has no kind; expected exactly one of: {string.Join(", ", Names.BuiltInKinds)}"));
        }
        else if (_specs.Count > 1)
        {
            var count = _specs.Count == 2 ? "two" : _specs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            errors.Add(new WorkflowError(null, $"task '{_id}' has {count} kinds: {Names.List(_specs.Select(s => s.Kind))}"));
        }

        return new TaskDefinition(_id, _specs.Count > 0 ? _specs[0] : NoopSpec.Instance)
        {
            DependsOn = [.. _dependsOn],
            Timeout = _timeout,
            Retry = _retry,
            Priority = _priority,
            Trigger = _trigger,
            Deadline = _deadline,
            Cache = _cache,
            Queue = _queue,
            Map = _map,
        };
    }
}
