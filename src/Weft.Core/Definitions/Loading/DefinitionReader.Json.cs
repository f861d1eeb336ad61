using System.Globalization;
using System.Text.Json.Nodes;

namespace Weft.Definitions.Loading;

/// <summary>Free-form values (<c>with</c>, custom kinds) as <see cref="JsonNode"/>s: numbers and
/// booleans keep their type, quoted text stays text.</summary>
internal sealed partial class DefinitionReader
{
    /// <summary>Converts <paramref name="node"/>; text scalars are recorded in the source map under
    /// <paramref name="path"/> so templates inside them can be placed.</summary>
    private JsonNode? ToJson(DocNode node, int task, string path)
    {
        switch (node)
        {
            case DocMapping map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Entries)
                {
                    if (obj.ContainsKey(key.Text))
                    {
                        Error(key.Location, $"'{key.Text}' appears twice in '{path}'");
                        continue;
                    }

                    obj[key.Text] = ToJson(value, task, FieldPaths.Member(path, key.Text));
                }

                return obj;
            case DocSequence seq:
                var array = new JsonArray();
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    array.Add(ToJson(seq.Items[i], task, FieldPaths.Item(path, i)));
                }

                return array;
            case DocScalar s:
                if (s.Type == ScalarType.String)
                {
                    Map.Add(task, path, s);
                }

                return Scalar(s);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(DocScalar s)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (s.Type)
        {
            case ScalarType.Null:
                return null;
            case ScalarType.Bool:
                return JsonValue.Create(string.Equals(s.Text, "true", StringComparison.OrdinalIgnoreCase));
            case ScalarType.Integer when int.TryParse(s.Text, NumberStyles.AllowLeadingSign, inv, out var i):
                return JsonValue.Create(i);
            case ScalarType.Integer when long.TryParse(s.Text, NumberStyles.AllowLeadingSign, inv, out var l):
                return JsonValue.Create(l);
            case ScalarType.Integer when s.Text.StartsWith("0x", StringComparison.Ordinal) &&
                                         long.TryParse(s.Text.AsSpan(2), NumberStyles.AllowHexSpecifier, inv, out var hex):
                return JsonValue.Create(hex);
            case ScalarType.Integer or ScalarType.Float when decimal.TryParse(s.Text, NumberStyles.Float, inv, out var d):
                return JsonValue.Create(d);
            case ScalarType.Float when double.TryParse(s.Text, NumberStyles.Float, inv, out var f) && double.IsFinite(f):
                return JsonValue.Create(f);
            default:
                // .inf, .nan and the like have no JSON number; keep them as written.
                return JsonValue.Create(s.Text);
        }
    }
}
