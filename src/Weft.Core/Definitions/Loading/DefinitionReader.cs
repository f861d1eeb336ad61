namespace Weft.Definitions.Loading;

/// <summary>Turns a <see cref="DocNode"/> tree into a <see cref="WorkflowDefinition"/>, collecting
/// every shape error (unknown fields, wrong types, bad values) with its place instead of stopping at
/// the first. Graph and template checks are left to <see cref="WorkflowValidator"/>.</summary>
internal sealed partial class DefinitionReader
{
    // "$schema" points editors at schema/weft-workflow.schema.json; it is accepted and otherwise ignored.
    private static readonly string[] WorkflowFields = ["$schema", "name", "description", "deadline", "params", "defaults", "tasks", "schedule", "pools", "maxParallel", "rateLimits"];
    private static readonly string[] ParamFields = ["default", "description", "required", "secret"];

    private readonly string _file;
    private readonly WorkflowLoadOptions _options;
    private readonly List<string> _kinds;
    private readonly List<WorkflowError> _errors = [];

    public DefinitionReader(string file, WorkflowLoadOptions options)
    {
        _file = file;
        _options = options;
        _kinds = [.. Names.BuiltInKinds, .. options.ExtraKinds.Where(k => !Names.BuiltInKinds.Contains(k))];
    }

    public IReadOnlyList<string> Kinds => _kinds;

    public IReadOnlyList<WorkflowError> Errors => _errors;

    public SourceMap Map { get; } = new();

    public WorkflowDefinition? Read(DocNode? root)
    {
        if (root is null or DocScalar { IsNull: true })
        {
            Error(root?.Location ?? new SourceLocation(_file, 1, 1), "the workflow is empty; expected a mapping with 'name' and 'tasks'");
            return null;
        }

        if (root is not DocMapping map)
        {
            Error(root.Location, $"a workflow must be a mapping with 'name' and 'tasks', not {root.Describe}");
            return null;
        }

        var fields = Fields(map, "in the workflow", WorkflowFields);
        var name = string.Empty;
        if (fields.TryGetValue("name", out var nameEntry))
        {
            name = OptionalText(nameEntry.Value, "'name'") ?? string.Empty;
            AddPlace(SourceMap.Workflow, FieldPaths.Name, nameEntry.Value);
        }

        var description = fields.TryGetValue("description", out var d) ? OptionalText(d.Value, "'description'") : null;
        var deadline = fields.TryGetValue("deadline", out var dl) ? Deadline(dl.Value, "in the workflow") : null;
        var parameters = fields.TryGetValue("params", out var p) ? ReadParams(p.Value) : [];
        var schedule = fields.TryGetValue("schedule", out var sc) ? ReadSchedule(sc.Value) : null;
        var defaults = fields.TryGetValue("defaults", out var df) ? ReadDefaults(df.Value) : new TaskDefaults();
        List<TaskDefinition> tasks = [];
        if (fields.TryGetValue("tasks", out var t))
        {
            Map.Add(SourceMap.Workflow, "tasks", t.Key.Location);
            tasks = ReadTasks(t.Value, defaults);
        }

        var pools = fields.TryGetValue("pools", out var pl) ? ReadPools(pl.Value) : EmptyMaps.Ints;
        var rateLimits = fields.TryGetValue("rateLimits", out var rl) ? ReadRateLimits(rl.Value) : EmptyMaps.RateLimits;
        int? maxParallel = null;
        if (fields.TryGetValue("maxParallel", out var mp) && Int(mp.Value, "'maxParallel'") is { } max)
        {
            if (max < 1)
            {
                Error(mp.Value.Location, $"'maxParallel' must be at least 1, not {max}");
            }

            maxParallel = max;
        }

        // A task's pool may also be sized by the engine's options, so an undeclared pool is checked at submit.
        return new WorkflowDefinition(name, tasks)
        {
            Description = description,
            Deadline = deadline,
            Params = parameters,
            Location = map.Location,
            Pools = pools,
            RateLimits = rateLimits,
            MaxParallel = maxParallel,
            Schedule = schedule,
        };
    }

    private List<ParamDefinition> ReadParams(DocNode node)
    {
        List<ParamDefinition> result = [];
        if (node is DocScalar { IsNull: true })
        {
            return result;
        }

        if (node is not DocMapping map)
        {
            Error(node.Location, $"'params' must be a mapping of name to default value, not {node.Describe}");
            return result;
        }

        foreach (var (key, value) in map.Entries)
        {
            var param = new ParamDefinition(key.Text) { Location = key.Location };
            switch (value)
            {
                case DocScalar s:
                    param = param with { Default = s.IsNull ? null : s.Text };
                    break;
                case DocMapping m:
                    var ctx = $"in param '{key.Text}'";
                    var f = Fields(m, ctx, ParamFields);
                    param = param with
                    {
                        Default = f.TryGetValue("default", out var def) ? OptionalText(def.Value, $"'default' {ctx}") : null,
                        Description = f.TryGetValue("description", out var desc) ? OptionalText(desc.Value, $"'description' {ctx}") : null,
                        Required = f.TryGetValue("required", out var req) && (Bool(req.Value, $"'required' {ctx}") ?? false),
                        Secret = f.TryGetValue("secret", out var sec) && (Bool(sec.Value, $"'secret' {ctx}") ?? false),
                    };
                    break;
                default:
                    Error(value.Location, $"param '{key.Text}' must be a default value or a mapping with {Names.List(ParamFields)}, not {value.Describe}");
                    break;
            }

            result.Add(param);
        }

        return result;
    }

    /// <summary>The entries of <paramref name="map"/> by key; unknown and repeated keys are errors.</summary>
    private Dictionary<string, DocEntry> Fields(DocMapping map, string context, IReadOnlyCollection<string> known)
    {
        var result = new Dictionary<string, DocEntry>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            var key = entry.Key.Text;
            if (!known.Contains(key))
            {
                Error(entry.Key.Location, $"unknown field '{key}' {context}{Suggestions.Hint(key, known)}");
            }
            else if (!result.TryAdd(key, entry))
            {
                Error(entry.Key.Location, $"field '{key}' appears twice {context}");
            }
        }

        return result;
    }

    private void Error(SourceLocation location, string message) => _errors.Add(new WorkflowError(location, message));

    private void AddPlace(int task, string field, DocNode node)
    {
        if (node is DocScalar s)
        {
            Map.Add(task, field, s);
        }
        else
        {
            Map.Add(task, field, node.Location);
        }
    }
}
