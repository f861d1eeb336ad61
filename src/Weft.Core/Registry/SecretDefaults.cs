using Weft.Definitions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Weft.Registry;

/// <summary>Hides the defaults of secret parameters in a workflow's text. A registered workflow's text
/// is shown to readers of the API, who may hold no token; a secret's default is as secret as a value
/// given at submit.</summary>
internal static class SecretDefaults
{
    private const string Hidden = "***";

    // Shorter values would blank out ordinary text ("a", "1") where they are searched for as text.
    private const int MinimumSearchedLength = 3;

    public static string Mask(string source, WorkflowDefinition definition)
    {
        var secrets = definition.Params.Where(p => p.Secret && !string.IsNullOrEmpty(p.Default)).ToList();
        if (secrets.Count == 0)
        {
            return source;
        }

        // Each default's own scalar is replaced in place (quoted, so the text stays valid YAML or JSON);
        // JSON is read as YAML here, which it nearly always is. Then any copy of the value left elsewhere
        // in the text (a comment, a task's text) goes too, as the server does for outputs.
        var masked = ReplaceDefaultScalars(source, secrets.Select(p => p.Name).ToHashSet(StringComparer.Ordinal)) ?? source;
        foreach (var value in secrets.Select(p => p.Default!).Where(v => v.Length >= MinimumSearchedLength).OrderByDescending(v => v.Length))
        {
            masked = masked.Replace(value, Hidden, StringComparison.Ordinal);
        }

        return masked;
    }

    /// <summary>The text with the <c>default:</c> scalars of the named params replaced; null when the
    /// text cannot be read as YAML.</summary>
    private static string? ReplaceDefaultScalars(string source, HashSet<string> names)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(source));
        }
        catch (YamlException)
        {
            return null;
        }

        var spans = new List<(int Start, int End)>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlMappingNode root && root.Children.TryGetValue(new YamlScalarNode("params"), out var p) && p is YamlMappingNode parameters)
            {
                foreach (var (key, value) in parameters.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && names.Contains(name) && value is YamlMappingNode fields
                        && fields.Children.TryGetValue(new YamlScalarNode("default"), out var d) && d is YamlScalarNode { Style: not (ScalarStyle.Literal or ScalarStyle.Folded) } scalar)
                    {
                        // A block scalar's span runs into the next line; its value is found as text below.
                        spans.Add(((int)scalar.Start.Index, (int)scalar.End.Index));
                    }
                }
            }
        }

        var text = source;
        foreach (var (start, end) in spans.OrderByDescending(s => s.Start))
        {
            text = string.Concat(text.AsSpan(0, start), "\"" + Hidden + "\"", text.AsSpan(end));
        }

        return text;
    }
}
