using System.Text.Json.Nodes;
using Weft.Execution;
using Weft.Templates;

namespace Weft.Handlers;

/// <summary>Prepares a function's arguments: a deep copy of <c>with:</c> (the function may mutate it;
/// the definition is shared by every run) with templates rendered in every string value, at any depth.
/// Keys are not rendered. Values stay strings: a function reads "7" as an int through binding.</summary>
internal static class FunctionArguments
{
    /// <summary>Throws <see cref="TemplateResolutionException"/> when a template cannot be resolved.</summary>
    public static JsonObject? Render(JsonObject? with, TaskInvocation invocation)
    {
        if (with is null)
        {
            return null;
        }

        var copy = with.DeepClone().AsObject();
        RenderObject(copy, invocation);
        return copy;
    }

    private static void RenderObject(JsonObject obj, TaskInvocation invocation)
    {
        // Collect first: a JsonObject cannot be changed while it is enumerated.
        List<(string Key, JsonNode Value)>? replacements = null;
        foreach (var (key, value) in obj)
        {
            if (RenderNode(value, invocation) is { } rendered)
            {
                (replacements ??= []).Add((key, rendered));
            }
        }

        foreach (var (key, value) in replacements ?? [])
        {
            obj[key] = value;
        }
    }

    /// <summary>Renders containers in place; returns a replacement for a templated string, else null.</summary>
    private static JsonNode? RenderNode(JsonNode? node, TaskInvocation invocation)
    {
        switch (node)
        {
            case JsonObject obj:
                RenderObject(obj, invocation);
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (RenderNode(array[i], invocation) is { } rendered)
                    {
                        array[i] = rendered;
                    }
                }

                return null;
            case JsonValue value when value.TryGetValue<string>(out var text) && Template.MayContainReferences(text):
                return JsonValue.Create(invocation.Render(text));
            default:
                return null;
        }
    }
}
