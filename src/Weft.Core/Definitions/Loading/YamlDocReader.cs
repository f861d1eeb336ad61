using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Weft.Definitions.Loading;

/// <summary>Reads YAML into a <see cref="DocNode"/> tree through YamlDotNet's event parser, which
/// keeps the place of every node (the representation model would drop it for keys we need).</summary>
internal sealed partial class YamlDocReader
{
    private readonly string _file;
    private readonly Scanner _scanner;
    private readonly Parser _parser;
    private readonly DocumentBudget _budget;
    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private readonly List<WorkflowError> _errors = [];

    private YamlDocReader(string text, string file, WorkflowLoadOptions options)
    {
        _file = file;
        _scanner = new Scanner(new StringReader(text), skipComments: true);
        _parser = new Parser(_scanner);
        _budget = new DocumentBudget(options);
    }

    /// <summary>The first document's root, or null with the syntax error in <paramref name="error"/>.
    /// <paramref name="problems"/> gets the errors that do not stop the reading (duplicated keys).</summary>
    public static DocNode? Read(string text, string file, WorkflowLoadOptions options, out WorkflowError? error, out IReadOnlyList<WorkflowError> problems)
    {
        error = null;
        var reader = new YamlDocReader(text, file, options);
        problems = reader._errors;
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
        catch (DocumentLimitException e)
        {
            error = new WorkflowError(e.Place, e.Message);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && IsFromYamlDotNet(e))
        {
            // YamlDotNet's scanner fails this way on some malformed input instead of with a
            // YamlException (aaubry/YamlDotNet#541), e.g. "a:\n  b: [x: y\n c]": it is a syntax
            // error all the same, and the scanner knows how far it got.
            error = new WorkflowError(reader.Place(reader._scanner.CurrentPosition),
                "YAML syntax error: cannot read on from here; check the brackets and quotes before this place, and that a " +
                "'[...]' or '{...}' running onto more lines is indented more than the key holding it");
            return null;
        }
    }

    private static bool IsFromYamlDotNet(Exception e) => e.TargetSite?.DeclaringType?.Assembly == typeof(Parser).Assembly;

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
        var root = ReadNode(1, out _, out _);
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
        {
            throw new YamlException(second.Start, second.End, "a workflow file holds one document; found a second '---'");
        }

        return root;
    }

    /// <summary>Reads the node at nesting level <paramref name="depth"/>. <paramref name="size"/> is
    /// how many nodes it stands for and <paramref name="height"/> how many levels it spans, both with
    /// aliases expanded, so that an alias is charged for what it stands for.</summary>
    private DocNode ReadNode(int depth, out long size, out int height)
    {
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            var place = Place(alias.Start);
            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"unknown alias '*{alias.Value.Value}'");
            }

            _budget.AddAlias(place);
            _budget.CheckDepth(place, depth - 1 + target.Height);
            _budget.AddNodes(place, target.Size);
            (size, height) = (target.Size, target.Height);
            return target.Node;
        }

        DocNode node;
        string? anchor;
        if (_parser.TryConsume<Scalar>(out var scalar))
        {
            node = ToScalar(scalar);
            _budget.AddNodes(node.Location, 1);
            (size, height) = (1, 1);
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
        }
        else if (_parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var place = Place(seqStart.Start);
            _budget.CheckDepth(place, depth);
            _budget.AddNodes(place, 1);
            (size, height) = (1, 1);
            var items = new List<DocNode>();
            while (!_parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(depth + 1, out var itemSize, out var itemHeight));
                size += itemSize;
                height = Math.Max(height, itemHeight + 1);
            }

            node = new DocSequence(place, items);
            anchor = seqStart.Anchor.IsEmpty ? null : seqStart.Anchor.Value;
        }
        else
        {
            var mapStart = _parser.Consume<MappingStart>();
            var place = Place(mapStart.Start);
            _budget.CheckDepth(place, depth);
            _budget.AddNodes(place, 1);
            (size, height) = (1, 1);
            var entries = new List<DocEntry>();
            var seen = new Dictionary<string, DocScalar>(StringComparer.Ordinal);
            while (!_parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = _parser.Current!;
                if (ReadNode(depth + 1, out var keySize, out _) is not DocScalar key)
                {
                    throw new YamlException(keyEvent.Start, keyEvent.End, "a mapping key must be plain text");
                }

                var value = ReadNode(depth + 1, out var valueSize, out var valueHeight);
                size += keySize + valueSize;
                height = Math.Max(height, valueHeight + 1);
                if (IsMergeKey(key.Text) || seen.TryAdd(key.Text, key))
                {
                    entries.Add(new DocEntry(key, value));
                }
                else
                {
                    // Kept out of the tree: a second value would otherwise pass for something else
                    // further on ("two kinds: shell and shell").
                    _errors.Add(new WorkflowError(key.Location, $"duplicate key '{key.Text}'; it is first at {seen[key.Text].Location}"));
                }
            }

            node = new DocMapping(place, Merge(entries));
            anchor = mapStart.Anchor.IsEmpty ? null : mapStart.Anchor.Value;
        }

        if (anchor is not null)
        {
            _anchors[anchor] = new Anchored(node, size, height);
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

    private static bool IsMergeKey(DocEntry entry) => IsMergeKey(entry.Key.Text);

    private static bool IsMergeKey(string key) => key == "<<";

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

    private readonly record struct Anchored(DocNode Node, long Size, int Height);

    [GeneratedRegex(@"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();
}
