using Weft.Definitions.Loading;

namespace Weft.Definitions.Validation;

/// <summary><c>workflow:</c> the child's parameters against what it declares, when the child is known
/// here (a path, read with this file): no parameter it does not declare, every required one given.
/// A registered child is checked by the engine, which knows the registry.</summary>
internal sealed partial class ValidationRun
{
    private void CheckChildWorkflow(int i, ChildWorkflowSpec child)
    {
        var task = _def.Tasks[i];
        var place = Place(i, FieldPaths.Workflow) ?? Place(i, FieldPaths.Kind);
        if (task.Map is not null)
        {
            Error(place, $"task '{task.Id}' has both 'map' and 'workflow'; a map task cannot run a child workflow (map over a task that runs it is not supported yet)");
        }

        if (child.Definition is { } definition)
        {
            foreach (var problem in ChildParamProblems(task.Id, child, definition))
            {
                Error(Place(i, problem.Field) ?? Place(i, FieldPaths.WorkflowParams) ?? place, problem.Message);
            }
        }
    }

    /// <summary>Parameters given to a child that it does not declare, and required ones not given; each
    /// with the field path of its place (<c>params.NAME</c>, or <c>params</c>).</summary>
    internal static IEnumerable<(string Field, string Message)> ChildParamProblems(string taskId, ChildWorkflowSpec child, WorkflowDefinition definition)
    {
        var declared = definition.Params.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in child.Params.Keys)
        {
            if (!declared.Contains(name))
            {
                var known = declared.Count == 0 ? "it declares none" : $"it declares {Names.List(declared.Select(n => $"'{n}'"))}";
                yield return (FieldPaths.Member(FieldPaths.WorkflowParams, name),
                    $"'params' in task '{taskId}' gives '{name}', which workflow '{definition.Name}' does not declare ({known}){Suggestions.Hint(name, declared)}");
            }
        }

        foreach (var p in definition.Params)
        {
            if (p.Required && p.Default is null && !child.Params.ContainsKey(p.Name))
            {
                yield return (FieldPaths.WorkflowParams,
                    $"task '{taskId}' runs workflow '{definition.Name}', which requires parameter '{p.Name}'; give it in 'params'");
            }
        }
    }
}
