using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;
using Weft.Templates;

namespace Weft.Caching;

/// <summary>A spec with every templated string rendered with a run's values: what the task will
/// actually do. Shell commands are rendered with the values themselves, not the <c>${WEFT_Vn}</c>
/// rewrite the shell handler runs, because the key must change when a value changes.</summary>
internal static class SpecRenderer
{
    public static string Render(string text, ITemplateValues values) =>
        Template.MayContainReferences(text) ? Template.Parse(text).Render(values.Resolve) : text;

    public static TaskSpec Render(TaskSpec spec, ITemplateValues values) => spec switch
    {
        ShellSpec s => s with
        {
            Command = Render(s.Command, values),
            Args = s.Args?.Select(a => Render(a, values)).ToList(),
            WorkDir = s.WorkDir is null ? null : Render(s.WorkDir, values),
            Env = Render(s.Env, values),
        },
        HttpSpec h => h with
        {
            Url = Render(h.Url, values),
            Headers = Render(h.Headers, values),
            Body = h.Body is null ? null : Render(h.Body, values),
            Json = Render(h.Json, values),
        },
        ContainerSpec c => c with
        {
            Image = Render(c.Image, values),
            Command = c.Command?.Select(a => Render(a, values)).ToList(),
            Script = c.Script is null ? null : Render(c.Script, values),
            Env = Render(c.Env, values),
            Volumes = c.Volumes?.Select(v => Render(v, values)).ToList(),
            WorkDir = c.WorkDir is null ? null : Render(c.WorkDir, values),
            User = c.User is null ? null : Render(c.User, values),
            Network = c.Network is null ? null : Render(c.Network, values),
        },
        FunctionSpec f => f with { With = f.With is null ? null : (JsonObject)Render(f.With, values)! },
        SqlSpec q => q with { Params = Render(q.Params, values) },
        CustomSpec c => c with { Value = Render(c.Value, values) },
        _ => spec,
    };

    private static Dictionary<string, string>? Render(IReadOnlyDictionary<string, string>? map, ITemplateValues values) =>
        map?.ToDictionary(p => p.Key, p => Render(p.Value, values), StringComparer.Ordinal);

    private static JsonNode? Render(JsonNode? node, ITemplateValues values) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Render(p.Value, values)))),
        JsonArray array => new JsonArray([.. array.Select(item => Render(item, values))]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(Render(text, values)),
        _ => node?.DeepClone(),
    };
}
