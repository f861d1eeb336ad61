namespace Weft.Definitions.Loading;

/// <summary>Reading <c>workflow:</c> (a child workflow) and its task-level <c>params:</c>. A registered
/// name is kept as it is (the engine looks it up when the task starts); a path is read and validated
/// now, relative to this file's directory, so a missing or invalid child file, and a cycle of files
/// naming each other, is an error of this file. The store keeps the child's definition with the
/// parent's in the mapping form <c>workflow: { path, definition }</c>, read back here too.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] StoredChildFields = ["path", "definition"];

    // A file named by several tasks is read once (and its errors reported once).
    private readonly Dictionary<string, WorkflowDefinition?> _childFiles = new(StringComparer.Ordinal);

    private ChildWorkflowSpec? ReadChildWorkflow(int index, DocNode value, string ctx)
    {
        AddPlace(index, FieldPaths.Workflow, value);
        if (value is DocMapping stored)
        {
            return ReadStoredChild(stored, ctx);
        }

        if (Text(value, $"'workflow' {ctx}") is not { } workflow)
        {
            return null;
        }

        if (!ChildWorkflowSpec.IsPath(workflow))
        {
            if (!Names.IsValidWorkflowName(workflow))
            {
                Error(value.Location, $"'workflow' {ctx} must be a registered workflow's name (letters, digits, '.', '_', '-') or a path to a .yaml, .yml or .json file, not '{workflow}'");
                return null;
            }

            return new ChildWorkflowSpec(workflow);
        }

        return LoadChildFile(workflow, value.Location, ctx) is { } definition
            ? new ChildWorkflowSpec(workflow) { Definition = definition }
            : null;
    }

    private WorkflowDefinition? LoadChildFile(string path, SourceLocation place, string ctx)
    {
        var self = Path.GetFullPath(_file);
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(self) ?? ".", path));
        List<string> including = [.. _options.Including, self];
        var seen = including.FindIndex(f => string.Equals(f, full, StringComparison.Ordinal));
        if (seen >= 0)
        {
            var cycle = string.Join(" → ", including.Skip(seen).Append(full).Select(Path.GetFileName));
            Error(place, $"'workflow' {ctx} makes a cycle of workflows: {cycle}");
            return null;
        }

        if (_childFiles.TryGetValue(full, out var known))
        {
            if (known is null)
            {
                Error(place, $"'workflow' {ctx}: '{path}' is not a valid workflow (see above)");
            }

            return known;
        }

        _childFiles[full] = null;
        try
        {
            return _childFiles[full] = WorkflowLoader.LoadFile(full, new WorkflowLoadOptions
            {
                ExtraKinds = _options.ExtraKinds,
                MaxFileBytes = _options.MaxFileBytes,
                MaxNodes = _options.MaxNodes,
                MaxAliases = _options.MaxAliases,
                MaxDepth = _options.MaxDepth,
                MaxErrors = _options.MaxErrors,
                Including = including,
            });
        }
        catch (WorkflowValidationException ex)
        {
            Error(place, $"'workflow' {ctx}: '{path}' is not a valid workflow ({Count(ex.Errors.Count)} below)");
            _errors.AddRange(ex.Errors);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Error(place, $"'workflow' {ctx}: no workflow file at {full}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Error(place, $"'workflow' {ctx}: cannot read {full}: {ex.Message}");
        }

        return null;
    }

    private static string Count(int errors) => errors == 1 ? "1 error" : $"{errors} errors";

    private ChildWorkflowSpec? ReadStoredChild(DocMapping map, string ctx)
    {
        var f = Fields(map, $"of 'workflow' {ctx}", StoredChildFields);
        if (!f.TryGetValue("path", out var p) || Text(p.Value, $"'path' of 'workflow' {ctx}") is not { } path)
        {
            Error(map.Location, $"'workflow' {ctx} must be a registered workflow's name or a path to a workflow file, not a mapping");
            return null;
        }

        if (!f.TryGetValue("definition", out var d))
        {
            return new ChildWorkflowSpec(path);
        }

        var reader = new DefinitionReader(_file, _options);
        var definition = reader.Read(d.Value);
        _errors.AddRange(reader.Errors);
        if (definition is null)
        {
            return null;
        }

        var problems = WorkflowValidator.Validate(definition, reader.Kinds, reader.Map, checkValues: false);
        _errors.AddRange(problems);
        return problems.Count > 0 ? null : new ChildWorkflowSpec(path) { Definition = definition };
    }

    private TaskSpec ReadChildParams(int index, string id, TaskSpec spec, DocEntry entry)
    {
        if (spec is not ChildWorkflowSpec child)
        {
            Error(entry.Key.Location, $"'params' in task '{id}' is only for workflow tasks (the run's own parameters are declared at the top of the file)");
            return spec;
        }

        Map.Add(index, FieldPaths.WorkflowParams, entry.Key.Location);
        if (entry.Value is DocScalar { IsNull: true })
        {
            return spec;
        }

        return TextMap(index, FieldPaths.WorkflowParams, entry.Value, $"'params' in task '{id}'") is { } values
            ? child with { Params = values }
            : spec;
    }
}
