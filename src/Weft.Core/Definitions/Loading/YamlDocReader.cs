using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Weft.Definitions.Loading;

/// <summary>Reads YAML into a <see cref="DocNode"/> tree through YamlDotNet's event parser, which
/// keeps the place of every node (the representation model would drop it for keys we need).</summary>
internal sealed partial class YamlDocReader
{
    private readonly string _file;
    private readonly Parser _parser;
    private readonly Dictionary<string, DocNode> _anchors = new(StringComparer.Ordinal);

    private YamlDocReader(string text, string file)
    {
        _file = file;
        _parser = new Parser(new StringReader(text));
    }

    /// <summary>The first document's root, or null with the syntax error in <paramref name="error"/>.</summary>
    public static DocNode? Read(string text, string file, out WorkflowError? error)
    {
        error = null;
        var reader = new YamlDocReader(text, file);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            var message = CleanMessage(e.Message);
            var place = message.Contains("tab", StringComparison.Ordinal) && FirstTabIndent(text, file) is { } tab ? tab : reader.Place(e.Start);
            error = new WorkflowError(place, "YAML syntax error: " + message);
            return null;
        }
    }

    // YamlDotNet places a tab-indentation error at the enclosing mapping; the tab itself is what to fix.
    private static SourceLocation? FirstTabIndent(string text, string file)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return new SourceLocation(file, i + 1, tab + 1);
            }
        }

        return null;
    }

    private DocNode? ReadStream()
    {
        _parser.Consume<StreamStart>();
        if (_parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        _parser.Consume<DocumentStart>();
        var root = ReadNode();
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
        {
            throw new YamlException(second.Start, second.End, "a workflow file holds one document; found a second '---'");
        }

        return root;
    }

    private DocNode ReadNode()
    {
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            return _anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new YamlException(alias.Start, alias.End, $"unknown alias '*{alias.Value.Value}'");
        }

        DocNode node;
        string? anchor;
        if (_parser.TryConsume<Scalar>(out var scalar))
        {
            node = ToScalar(scalar);
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
        }
        else if (_parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<DocNode>();
            while (!_parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode());
            }

            node = new DocSequence(Place(seqStart.Start), items);
            anchor = seqStart.Anchor.IsEmpty ? null : seqStart.Anchor.Value;
        }
        else
        {
            var mapStart = _parser.Consume<MappingStart>();
            var entries = new List<DocEntry>();
            while (!_parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = _parser.Current!;
                if (ReadNode() is not DocScalar key)
                {
                    throw new YamlException(keyEvent.Start, keyEvent.End, "a mapping key must be plain text");
                }

                entries.Add(new DocEntry(key, ReadNode()));
            }

            node = new DocMapping(Place(mapStart.Start), Merge(entries));
            anchor = mapStart.Anchor.IsEmpty ? null : mapStart.Anchor.Value;
        }

        if (anchor is not null)
        {
            _anchors[anchor] = node;
        }

        return node;
    }

    /// <summary>Applies YAML merge keys (<c>&lt;&lt;: *base</c>), which workflow files use to share task
    /// settings: merged entries take the place of the <c>&lt;&lt;</c> key, and keys written out win.</summary>
    private static List<DocEntry> Merge(List<DocEntry> entries)
    {
        if (!entries.Exists(IsMergeKey))
        {
            return entries;
        }

        var written = entries.Where(e => !IsMergeKey(e)).Select(e => e.Key.Text).ToHashSet(StringComparer.Ordinal);
        var merged = new HashSet<string>(StringComparer.Ordinal);
        List<DocEntry> result = [];
        foreach (var entry in entries)
        {
            if (!IsMergeKey(entry))
            {
                result.Add(entry);
                continue;
            }

            IEnumerable<DocNode> sources = entry.Value is DocSequence seq ? seq.Items : [entry.Value];
            foreach (var source in sources)
            {
                if (source is not DocMapping map)
                {
                    result.Add(entry); // left for the reader to report as an unknown field, with its place
                    break;
                }

                result.AddRange(map.Entries.Where(e => !written.Contains(e.Key.Text) && merged.Add(e.Key.Text)));
            }
        }

        return result;
    }

    private static bool IsMergeKey(DocEntry entry) => entry.Key.Text == "<<";

    private DocScalar ToScalar(Scalar s)
    {
        var place = Place(s.Start);
        var plain = s.Style == ScalarStyle.Plain;
        var quoted = s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        var width = s.End.Index - s.Start.Index;

        // The value maps character-for-character onto its line only when it spans exactly its own
        // width (plus the two quotes): no escapes, no line folding.
        int? contentColumn = s.Start.Line == s.End.Line && plain && width == s.Value.Length ? place.Column
            : s.Start.Line == s.End.Line && quoted && width == s.Value.Length + 2 ? place.Column + 1
            : null;

        var tag = s.Tag.IsEmpty ? null : s.Tag.Value;
        var type = tag == "tag:yaml.org,2002:str" || !plain ? ScalarType.String : Resolve(s.Value);
        return new DocScalar(place, s.Value, type, contentColumn);
    }

    // The YAML 1.2 core schema, which is what JSON readers and most editors expect.
    internal static ScalarType Resolve(string v) => v switch
    {
        "" or "~" or "null" or "Null" or "NULL" => ScalarType.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarType.Bool,
        _ when IntegerPattern().IsMatch(v) => ScalarType.Integer,
        _ when FloatPattern().IsMatch(v) => ScalarType.Float,
        _ => ScalarType.String,
    };

    private SourceLocation Place(Mark mark) => new(_file, (int)mark.Line, (int)mark.Column);

    private static string CleanMessage(string message) =>
        MarkPrefix().Replace(message, string.Empty).Trim();

    [GeneratedRegex(@"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();
}
