using Weft.Definitions.Loading;
using Weft.Templates;

namespace Weft.Definitions.Validation;

/// <summary><c>map:</c> a sane <c>maxParallel</c>; <c>{{ item }}</c> and <c>{{ index }}</c> only in the
/// instances of a map task (not in its <c>over</c>, which is resolved before any instance exists).</summary>
internal sealed partial class ValidationRun
{
    private void CheckMap(int i)
    {
        var task = _def.Tasks[i];
        if (task.Map is not { } map)
        {
            return;
        }

        if (map.MaxParallel is { } max && max < 1)
        {
            Error(Place(i, FieldPaths.MapMaxParallel), $"'maxParallel' of map in task '{task.Id}' must be at least 1, not {max}");
        }

        if (string.IsNullOrWhiteSpace(map.Over))
        {
            Error(Place(i, FieldPaths.MapOver), $"'over' of map in task '{task.Id}' must not be empty; give a JSON array or a template such as '{{{{ tasks.ID.output }}}}'");
        }
    }

    private void CheckItemReference(int i, string field, SourceLocation? place, TemplateReference reference)
    {
        var task = _def.Tasks[i];
        if (task.Map is null)
        {
            Error(place, $"template in task '{task.Id}' uses '{{{{ {reference} }}}}', which only a map task has; add 'map: {{ over: ... }}' or remove it");
        }
        else if (field == FieldPaths.MapOver)
        {
            Error(place, $"'over' of map in task '{task.Id}' cannot use '{{{{ {reference} }}}}': the list is resolved before any instance exists");
        }
    }

    private static IEnumerable<(string Field, string Text)> MapOverText(TaskDefinition task) =>
        task.Map is { } map ? [(FieldPaths.MapOver, map.Over)] : [];
}
