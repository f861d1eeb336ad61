using System.Text.Json.Nodes;
using Weft.Definitions.Loading;
using Weft.Templates;

namespace Weft.Definitions.Validation;

/// <summary>Templates: well-formed, naming declared params and upstream tasks only, since a task's
/// output exists only once the task has run.</summary>
internal sealed partial class ValidationRun
{
    private HashSet<string>? _paramNames;

    private void CheckTemplates(int i)
    {
        var task = _def.Tasks[i];
        HashSet<int>? upstream = null;
        // One source after the other rather than chained: a chain cost every task of a workflow
        // (a million no-op tasks as much as any) several enumerators.
        foreach (var (field, text) in Texts(task.Spec))
        {
            CheckTemplate(i, field, text, ref upstream);
        }

        if (task.Cache?.Key is not null)
        {
            foreach (var (field, text) in CacheKeyText(task))
            {
                CheckTemplate(i, field, text, ref upstream);
            }
        }

        if (task.Map is not null)
        {
            foreach (var (field, text) in MapOverText(task))
            {
                CheckTemplate(i, field, text, ref upstream);
            }
        }
    }

    private void CheckTemplate(int i, string field, string text, ref HashSet<int>? upstream)
    {
        var task = _def.Tasks[i];
        if (!Template.MayContainReferences(text))
        {
            return;
        }

        var template = Template.Parse(text);
        foreach (var error in template.Errors)
        {
            Error(Place(i, field, error.Offset), $"template in task '{task.Id}': {error.Message}");
        }

        foreach (var reference in template.References)
        {
            var place = Place(i, field, reference.Offset);
            if (reference.Kind == TemplateReferenceKind.Param)
            {
                _paramNames ??= _def.Params.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                if (!_paramNames.Contains(reference.Name))
                {
                    Error(place, $"template in task '{task.Id}' names unknown param '{reference.Name}'{_hints.Hint(reference.Name, _paramNames)}");
                }
            }
            else if (reference.Kind is TemplateReferenceKind.Item or TemplateReferenceKind.Index)
            {
                CheckItemReference(i, field, place, reference);
            }
            else if (reference.Kind == TemplateReferenceKind.TaskOutput)
            {
                if (!_index.TryGetValue(reference.Name, out var target))
                {
                    Error(place, $"template in task '{task.Id}' names unknown task '{reference.Name}'{_hints.Hint(reference.Name, _index.Keys)}");
                    continue;
                }

                upstream ??= Upstream(i);
                if (!upstream.Contains(target))
                {
                    Error(place, $"template in task '{task.Id}' names task '{reference.Name}', which is not upstream of '{task.Id}'");
                }
            }
        }
    }

    /// <summary>Every task that <paramref name="task"/> depends on, directly or not.</summary>
    private HashSet<int> Upstream(int task)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(task);
        while (stack.Count > 0)
        {
            foreach (var id in _def.Tasks[stack.Pop()].DependsOn)
            {
                if (_index.TryGetValue(id, out var d) && d != task && seen.Add(d))
                {
                    stack.Push(d);
                }
            }
        }

        return seen;
    }

    /// <summary>The text fields of a spec that may hold templates, each with the field path the reader
    /// records its place under.</summary>
    private static IEnumerable<(string Field, string Text)> Texts(TaskSpec spec)
    {
        switch (spec)
        {
            case ShellSpec s:
                yield return ("shell.command", s.Command);
                for (var j = 0; j < (s.Args?.Count ?? 0); j++)
                {
                    yield return (FieldPaths.Item("shell.args", j), s.Args![j]);
                }

                if (s.WorkDir is not null)
                {
                    yield return ("shell.workdir", s.WorkDir);
                }

                foreach (var (key, value) in s.Env ?? new Dictionary<string, string>())
                {
                    yield return (FieldPaths.Member("shell.env", key), value);
                }

                break;
            case ChildWorkflowSpec child:
                foreach (var (key, value) in child.Params)
                {
                    yield return (FieldPaths.Member(FieldPaths.WorkflowParams, key), value);
                }

                break;
            case WaitSpec { Http: null, Until: { } until }:
                yield return (FieldPaths.WaitUntil, until);
                break;
            case WaitSpec { Http: { } sensor }:
                foreach (var item in Texts(sensor))
                {
                    yield return item;
                }

                break;
            case HttpSpec h:
                yield return ("http.url", h.Url);
                foreach (var (key, value) in h.Headers ?? new Dictionary<string, string>())
                {
                    yield return (FieldPaths.Member("http.headers", key), value);
                }

                if (h.Body is not null)
                {
                    yield return ("http.body", h.Body);
                }

                foreach (var item in JsonTexts(h.Json, "http.json"))
                {
                    yield return item;
                }

                break;
            case ContainerSpec c:
                foreach (var item in ContainerTexts(c))
                {
                    yield return item;
                }

                break;
            case FunctionSpec { With: { } with }:
                foreach (var item in JsonTexts(with, "with"))
                {
                    yield return item;
                }

                break;
            case SqlSpec q:
                // Not the query: it may hold no templates at all (CheckSql says so at its place).
                foreach (var (key, value) in q.Params ?? new Dictionary<string, string>())
                {
                    yield return (FieldPaths.Member("sql.params", key), value);
                }

                break;
            case CustomSpec c:
                foreach (var item in JsonTexts(c.Value, c.CustomKind))
                {
                    yield return item;
                }

                break;
        }
    }

    private static IEnumerable<(string Field, string Text)> ContainerTexts(ContainerSpec c)
    {
        yield return ("container.image", c.Image);
        for (var j = 0; j < (c.Command?.Count ?? 0); j++)
        {
            yield return (FieldPaths.Item("container.command", j), c.Command![j]);
        }

        for (var j = 0; j < (c.Volumes?.Count ?? 0); j++)
        {
            yield return (FieldPaths.Item("container.volumes", j), c.Volumes![j]);
        }

        foreach (var (field, text) in new[] { ("command", c.Script), ("workdir", c.WorkDir), ("user", c.User), ("network", c.Network) })
        {
            if (text is not null)
            {
                yield return ("container." + field, text);
            }
        }

        foreach (var (key, value) in c.Env ?? new Dictionary<string, string>())
        {
            yield return (FieldPaths.Member("container.env", key), value);
        }
    }

    private static IEnumerable<(string Field, string Text)> JsonTexts(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                return obj.SelectMany(p => JsonTexts(p.Value, FieldPaths.Member(path, p.Key)));
            case JsonArray array:
                return array.SelectMany((item, j) => JsonTexts(item, FieldPaths.Item(path, j)));
            case JsonValue value when value.TryGetValue<string>(out var text):
                return [(path, text)];
            default:
                return [];
        }
    }
}
