using System.Globalization;

namespace Weft.Definitions.Loading;

/// <summary>Typed reads of single values; each reports a mismatch and returns null.</summary>
internal sealed partial class DefinitionReader
{
    /// <summary>Text that must be present. Numbers and booleans are kept as written.</summary>
    private string? Text(DocNode node, string what)
    {
        switch (node)
        {
            case DocScalar { IsNull: false } s:
                return s.Text;
            case DocScalar:
                Error(node.Location, $"{what} must not be empty");
                return null;
            default:
                Error(node.Location, $"{what} must be text, not {node.Describe}");
                return null;
        }
    }

    private string? OptionalText(DocNode node, string what) =>
        node is DocScalar { IsNull: true } ? null : Text(node, what);

    private bool? Bool(DocNode node, string what)
    {
        if (node is DocScalar { Type: ScalarType.Bool } s)
        {
            return string.Equals(s.Text, "true", StringComparison.OrdinalIgnoreCase);
        }

        Error(node.Location, $"{what} must be true or false, not {Shown(node)}");
        return null;
    }

    private int? Int(DocNode node, string what)
    {
        if (node is DocScalar { Type: ScalarType.Integer } s &&
            int.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node.Location, $"{what} must be a whole number, not {Shown(node)}");
        return null;
    }

    private double? Number(DocNode node, string what)
    {
        if (node is DocScalar { Type: ScalarType.Integer or ScalarType.Float } s &&
            double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node.Location, $"{what} must be a number, not {Shown(node)}");
        return null;
    }

    /// <summary>A duration; <paramref name="field"/> is the key as written, e.g. 'timeout'.</summary>
    private TimeSpan? Duration(DocNode node, string field)
    {
        if (node is DocScalar { IsNull: false } s && Durations.TryParse(s.Text, out var value))
        {
            return value;
        }

        Error(node.Location, $"bad duration {Shown(node)} for '{field}'; expected e.g. {Durations.Examples}");
        return null;
    }

    /// <summary>A deadline: a duration after submit, or an ISO-8601 time.</summary>
    private DeadlineSpec? Deadline(DocNode node, string ctx)
    {
        if (node is DocScalar { IsNull: false } s && DeadlineSpec.TryParse(s.Text, out var value))
        {
            if (ValueChecks.Deadline(value) is { } problem)
            {
                Error(node.Location, $"{problem} {ctx}");
            }

            return value;
        }

        Error(node.Location, $"bad deadline {Shown(node)} {ctx}; expected {DeadlineSpec.Examples}");
        return null;
    }

    /// <summary>One of <paramref name="table"/>'s names; <paramref name="field"/> as in "bad priority 'x' in task 'y'".</summary>
    private T? Enum<T>(DocNode node, string field, string ctx, (string Name, T Value)[] table)
        where T : struct
    {
        if (node is DocScalar { IsNull: false } s)
        {
            foreach (var (name, value) in table)
            {
                if (name == s.Text)
                {
                    return value;
                }
            }
        }

        var names = table.Select(t => t.Name).ToList();
        var hint = node is DocScalar scalar ? Suggestions.Hint(scalar.Text, names) : string.Empty;
        Error(node.Location, $"bad {field} {Shown(node)} {ctx}; expected one of: {string.Join(", ", names)}{hint}");
        return null;
    }

    /// <summary>A list of text, or one text standing for a list of one.</summary>
    private List<string> TextList(int task, string field, DocNode node, string what)
    {
        List<string> result = [];
        IReadOnlyList<DocNode> items = node is DocSequence seq ? seq.Items : [node];
        for (var i = 0; i < items.Count; i++)
        {
            if (Text(items[i], what) is { } text)
            {
                AddPlace(task, FieldPaths.Item(field, i), items[i]);
                result.Add(text);
            }
        }

        return result;
    }

    private Dictionary<string, string>? TextMap(int task, string field, DocNode node, string what)
    {
        if (node is not DocMapping map)
        {
            Error(node.Location, $"{what} must be a mapping of name to text, not {node.Describe}");
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (Text(value, $"'{key.Text}' of {what}") is not { } text)
            {
                continue;
            }

            if (!result.TryAdd(key.Text, text))
            {
                Error(key.Location, $"'{key.Text}' appears twice in {what}");
            }

            AddPlace(task, FieldPaths.Member(field, key.Text), value);
        }

        return result;
    }

    /// <summary>A value as quoted in a message: 'text', or "a mapping".</summary>
    private static string Shown(DocNode node) => node is DocScalar { IsNull: false } s ? $"'{s.Text}'" : node.Describe;
}
