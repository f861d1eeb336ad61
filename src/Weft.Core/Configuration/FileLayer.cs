using Weft.Definitions;
using Weft.Definitions.Loading;

namespace Weft.Configuration;

/// <summary>The values of <c>weft.yaml</c> or <c>weft.json</c>, read with the workflow loader's readers
/// (so syntax errors, limits and positions are the same), flattened to configuration keys
/// (<c>pool:maxWorkers</c>, <c>plugins:0</c>) with the place of each key and value.</summary>
internal sealed class FileLayer : ConfigLayer
{
    private readonly Dictionary<string, SourceLocation> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SourceLocation> _keys = new(StringComparer.OrdinalIgnoreCase);

    private FileLayer(string path) => FilePath = path;

    public string FilePath { get; }

    /// <summary>The file read, or null with every error found (syntax, a root that is not a mapping).</summary>
    public static FileLayer? Read(string path, string text, List<string> errors)
    {
        var limits = new WorkflowLoadOptions();
        var isJson = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var root = isJson
            ? JsonDocReader.Read(text, path, limits, out var error, out var problems)
            : YamlDocReader.Read(text, path, limits, out error, out problems);
        if (error is not null)
        {
            errors.Add(error.ToString());
            return null;
        }

        errors.AddRange(problems.Select(p => p.ToString()));
        var layer = new FileLayer(path);
        switch (root)
        {
            case null:
            case DocScalar { IsNull: true }:
                break; // an empty file configures nothing
            case DocMapping mapping:
                layer.Flatten(mapping, null, errors);
                break;
            default:
                errors.Add($"{root.Location}: a configuration file holds a mapping of sections (pool:, cache:, …), not {root.Describe}");
                return null;
        }

        return errors.Count > 0 ? null : layer;
    }

    public override string Describe(string key) =>
        _values.TryGetValue(key, out var place) ? $"{place.File}:{place.Line}" : FilePath;

    public override SourceLocation? Place(string key, bool ofKey = false) =>
        (ofKey ? _keys : _values).TryGetValue(key, out var place) ? place
        : _values.TryGetValue(key, out place) ? place
        : null;

    private void Flatten(DocNode node, string? prefix, List<string> errors)
    {
        switch (node)
        {
            case DocMapping mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    if (key.Text.Contains(':', StringComparison.Ordinal) || key.Text.Length == 0)
                    {
                        errors.Add($"{key.Location}: '{key.Text}' cannot be a key here: names of configuration keys have no ':' and are not empty");
                        continue;
                    }

                    var path = prefix is null ? key.Text : $"{prefix}:{key.Text}";
                    _keys[path] = key.Location;
                    Flatten(value, path, errors);
                }

                break;
            case DocSequence sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    var path = $"{prefix}:{i}";
                    _keys[path] = sequence.Items[i].Location;
                    Flatten(sequence.Items[i], path, errors);
                }

                break;
            case DocScalar scalar:
                // A YAML null (`key:` or `~`) is kept as "", which nullable options read as null.
                Data[prefix!] = scalar.IsNull ? "" : scalar.Text;
                _values[prefix!] = scalar.Location;
                break;
        }
    }
}
