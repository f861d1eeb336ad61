namespace Weft.Definitions.Loading;

/// <summary>Reading <c>tasks</c> and <c>defaults</c>.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] TaskFields = ["dependsOn", "timeout", "deadline", "retry", "priority", "trigger", "with", "pool", "queue", "breaker", "rateLimit", "resources", "cache", "map", "params"];
    public static IReadOnlyList<string> TaskFieldNames => TaskFields;

    private static readonly string[] DefaultsFields = ["timeout", "retry", "priority", "trigger"];

    private List<TaskDefinition> ReadTasks(DocNode node, TaskDefaults defaults)
    {
        List<TaskDefinition> tasks = [];
        if (node is DocScalar { IsNull: true })
        {
            return tasks;
        }

        if (node is not DocMapping map)
        {
            Error(node.Location, $"'tasks' must be a mapping of task id to task, not {node.Describe}");
            return tasks;
        }

        foreach (var (key, value) in map.Entries)
        {
            tasks.Add(ReadTask(tasks.Count, key, value, defaults));
        }

        return tasks;
    }

    private TaskDefinition ReadTask(int index, DocScalar key, DocNode node, TaskDefaults defaults)
    {
        var id = key.Text;
        var placeholder = new TaskDefinition(id, NoopSpec.Instance) { Location = key.Location };
        if (node is not DocMapping map)
        {
            var found = node is DocScalar { IsNull: true } ? "it is empty" : $"found {node.Describe}";
            Error(node is DocScalar { IsNull: true } ? key.Location : node.Location,
                $"task '{id}' must be a mapping with one of: {string.Join(", ", _kinds)}; {found}");
            return placeholder;
        }

        var ctx = $"in task '{id}'";
        var fields = new Dictionary<string, DocEntry>(StringComparer.Ordinal);
        List<DocEntry> kinds = [];
        List<DocEntry> unknown = [];
        foreach (var entry in map.Entries)
        {
            var name = entry.Key.Text;
            if (_kinds.Contains(name))
            {
                kinds.Add(entry);
            }
            else if (!TaskFields.Contains(name))
            {
                unknown.Add(entry);
            }
            else if (!fields.TryAdd(name, entry))
            {
                Error(entry.Key.Location, $"field '{name}' appears twice {ctx}");
            }
        }

        var unknownKindReported = false;
        foreach (var (k, _) in unknown)
        {
            var suggestion = Suggestions.Closest(k.Text, TaskFields.Concat(_kinds));
            if (suggestion is null && kinds.Count == 0 && !unknownKindReported)
            {
                // With no kind in the task, a key we cannot place is most likely the kind itself.
                Error(k.Location, $"unknown kind '{k.Text}' {ctx}; expected exactly one of: {string.Join(", ", _kinds)}");
                unknownKindReported = true;
            }
            else
            {
                var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
                Error(k.Location, $"unknown field '{k.Text}' {ctx}{hint}");
            }
        }

        if (kinds.Count == 0 && unknown.Count == 0)
        {
            Error(key.Location, $"task '{id}' has no kind; expected exactly one of: {string.Join(", ", _kinds)}");
        }
        else if (kinds.Count > 1)
        {
            var count = kinds.Count == 2 ? "two" : kinds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Error(kinds[1].Key.Location, $"task '{id}' has {count} kinds: {Names.List(kinds.Select(k => k.Key.Text))}");
        }

        TaskSpec spec = NoopSpec.Instance;
        if (kinds.Count > 0)
        {
            Map.Add(index, FieldPaths.Kind, kinds[0].Key.Location);
            spec = ReadSpec(index, id, kinds[0]) ?? NoopSpec.Instance;
        }

        // A function task whose name was bad has already been reported; its 'with' is not a second problem.
        if (fields.TryGetValue("with", out var with) && !(kinds.Count > 0 && kinds[0].Key.Text == "function" && spec is not FunctionSpec))
        {
            spec = ReadWith(index, id, spec, with);
        }

        // A workflow task whose 'workflow' was bad has already been reported; its 'params' is not a second problem.
        if (fields.TryGetValue("params", out var childParams) && !(kinds.Count > 0 && kinds[0].Key.Text == "workflow" && spec is not ChildWorkflowSpec))
        {
            spec = ReadChildParams(index, id, spec, childParams);
        }

        var task = placeholder with { Spec = spec };
        if (fields.TryGetValue("dependsOn", out var deps))
        {
            task = task with { DependsOn = TextList(index, FieldPaths.DependsOn, deps.Value, $"'dependsOn' {ctx}") };
        }

        if (fields.TryGetValue("pool", out var pool))
        {
            task = task with { Pool = LimitName(pool.Value, $"'pool' {ctx}") };
        }

        if (fields.TryGetValue("queue", out var queue) && LimitName(queue.Value, $"'queue' {ctx}") is { } queueName)
        {
            task = task with { Queue = queueName };
        }

        if (fields.TryGetValue("breaker", out var breaker))
        {
            task = task with { Breaker = LimitName(breaker.Value, $"'breaker' {ctx}") };
        }

        if (fields.TryGetValue("rateLimit", out var rate))
        {
            task = task with { RateLimit = LimitName(rate.Value, $"'rateLimit' {ctx}") };
        }

        if (fields.TryGetValue("resources", out var resources))
        {
            task = task with { Resources = ReadResources(resources.Value, ctx) };
        }

        // Not inheritable from 'defaults': the workflow's own 'deadline' is the run's, which every task shares.
        if (fields.TryGetValue("deadline", out var deadline))
        {
            task = task with { Deadline = Deadline(deadline.Value, ctx) };
        }

        if (fields.TryGetValue("cache", out var cache))
        {
            task = task with { Cache = ReadCache(index, cache.Value, ctx) };
        }

        if (fields.TryGetValue("map", out var mapField))
        {
            task = task with { Map = ReadMap(index, mapField.Value, ctx) };
        }

        return ReadTaskDefaults(fields, ctx).Over(defaults).ApplyTo(task, index, Map);
    }

    private TaskDefaults ReadDefaults(DocNode node)
    {
        if (node is DocScalar { IsNull: true })
        {
            return new TaskDefaults();
        }

        if (node is not DocMapping map)
        {
            Error(node.Location, $"'defaults' must be a mapping, not {node.Describe}");
            return new TaskDefaults();
        }

        return ReadTaskDefaults(Fields(map, "in defaults", DefaultsFields), "in defaults");
    }

    /// <summary>The fields a task may inherit from <c>defaults</c>, read from a task or from defaults.</summary>
    private TaskDefaults ReadTaskDefaults(Dictionary<string, DocEntry> fields, string ctx)
    {
        var result = new TaskDefaults();
        if (fields.TryGetValue("timeout", out var t) && Duration(t.Value, "timeout") is { } timeout)
        {
            if (ValueChecks.Timeout(timeout) is { } problem)
            {
                Error(t.Value.Location, $"{problem} {ctx}");
            }

            result = result with { Timeout = timeout };
            result.Places.Add((FieldPaths.Timeout, t.Value.Location));
        }

        if (fields.TryGetValue("retry", out var r))
        {
            result = result with { Retry = ReadRetry(r.Value, ctx, result.Places) };
        }

        if (fields.TryGetValue("priority", out var p))
        {
            result = result with { Priority = Enum(p.Value, "priority", ctx, Names.Priorities) };
        }

        if (fields.TryGetValue("trigger", out var tr))
        {
            result = result with { Trigger = Enum(tr.Value, "trigger", ctx, Names.Triggers) };
        }

        return result;
    }
}
