using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Weft.Definitions.Loading;

/// <summary>Reads JSON into a <see cref="DocNode"/> tree. JSON is not handed to the YAML parser
/// because YAML forbids the tab indentation that JSON files commonly use.</summary>
internal sealed partial class JsonDocReader
{
    private readonly string _file;
    private readonly byte[] _bytes;
    private readonly List<int> _lineStarts = [0];
    private readonly DocumentBudget _budget;
    private readonly List<WorkflowError> _errors = [];

    private JsonDocReader(string text, string file, WorkflowLoadOptions options)
    {
        _file = file;
        _budget = new DocumentBudget(options);
        _bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < _bytes.Length; i++)
        {
            if (_bytes[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>The root value, or null with the syntax error in <paramref name="error"/>.
    /// <paramref name="problems"/> gets the errors that do not stop the reading (duplicated keys).</summary>
    public static DocNode? Read(string text, string file, WorkflowLoadOptions limits, out WorkflowError? error, out IReadOnlyList<WorkflowError> problems)
    {
        error = null;
        var doc = new JsonDocReader(text, file, limits);
        problems = doc._errors;

        // The depth limit is the budget's, with its message; the reader's own only has to stay out of its way.
        var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = limits.MaxDepth + 2 };
        var reader = new Utf8JsonReader(doc._bytes, options);
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            var root = doc.ReadValue(ref reader, 1);
            if (reader.Read())
            {
                throw new JsonException("unexpected data after the end of the document", null, null, null);
            }

            return root;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = doc.ColumnOf(line, (int)(e.BytePositionInLine ?? 0));
            var message = Excerpt(PositionSuffix().Replace(e.Message, string.Empty).Trim());
            error = new WorkflowError(new SourceLocation(file, line, column), "JSON syntax error: " + message);
            return null;
        }
        catch (DocumentLimitException e)
        {
            error = new WorkflowError(e.Place, e.Message);
            return null;
        }
    }

    // The reader's message may quote the rest of the input (found by the fuzzer: a YAML file named .json
    // quoted 7 KB of itself): one line, and short enough to read, is what a person needs with the place.
    private static string Excerpt(string message)
    {
        const int MaxLength = 160;
        message = message.ReplaceLineEndings("\\n");
        return message.Length <= MaxLength ? message : message[..(MaxLength - 1)] + "…";
    }

    /// <summary>Reads the value at nesting level <paramref name="depth"/> (the root is 1).</summary>
    private DocNode ReadValue(ref Utf8JsonReader reader, int depth)
    {
        var place = Place(reader.TokenStartIndex);
        _budget.AddNodes(place, 1);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                _budget.CheckDepth(place, depth);
                var entries = new List<DocEntry>();
                var seen = new Dictionary<string, DocScalar>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = ReadString(ref reader);
                    _budget.AddNodes(key.Location, 1);
                    reader.Read();
                    var value = ReadValue(ref reader, depth + 1);
                    if (seen.TryAdd(key.Text, key))
                    {
                        entries.Add(new DocEntry(key, value));
                    }
                    else
                    {
                        _errors.Add(new WorkflowError(key.Location, $"duplicate key '{key.Text}'; it is first at {seen[key.Text].Location}"));
                    }
                }

                return new DocMapping(place, entries);
            case JsonTokenType.StartArray:
                _budget.CheckDepth(place, depth);
                var items = new List<DocNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, depth + 1));
                }

                return new DocSequence(place, items);
            case JsonTokenType.String:
                return ReadString(ref reader);
            case JsonTokenType.Number:
                var number = Encoding.UTF8.GetString(reader.ValueSpan);
                var isInteger = !number.AsSpan().ContainsAny(".eE");
                return new DocScalar(place, number, isInteger ? ScalarType.Integer : ScalarType.Float, place.Column);
            case JsonTokenType.True or JsonTokenType.False:
                return new DocScalar(place, reader.GetBoolean() ? "true" : "false", ScalarType.Bool, place.Column);
            default:
                return new DocScalar(place, "null", ScalarType.Null, null);
        }
    }

    private DocScalar ReadString(ref Utf8JsonReader reader)
    {
        var place = Place(reader.TokenStartIndex);
        var value = reader.GetString() ?? string.Empty;

        // An escape shifts every later character, so offsets into the value no longer match the line.
        int? contentColumn = reader.ValueIsEscaped ? null : place.Column + 1;
        return new DocScalar(place, value, ScalarType.String, contentColumn);
    }

    private SourceLocation Place(long byteIndex)
    {
        var index = (int)byteIndex;
        var line = _lineStarts.BinarySearch(index);
        line = line >= 0 ? line : ~line - 1;
        return new SourceLocation(_file, line + 1, ColumnOf(line + 1, index - _lineStarts[line]));
    }

    // Columns count characters, not UTF-8 bytes: a UTF-8 continuation byte starts no character.
    // Tokens come in document order, so counting goes on from the previous token on the same line:
    // a definition stored as one long line (DefinitionJson) would otherwise cost O(n²).
    private int ColumnOf(int line, int bytesIntoLine)
    {
        var start = _lineStarts[Math.Clamp(line - 1, 0, _lineStarts.Count - 1)];
        var end = Math.Min(start + bytesIntoLine, _bytes.Length);
        var (from, column) = line == _cursorLine && end >= _cursorByte ? (_cursorByte, _cursorColumn) : (start, 1);
        for (var i = from; i < end; i++)
        {
            if ((_bytes[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        (_cursorLine, _cursorByte, _cursorColumn) = (line, end, column);
        return column;
    }

    private int _cursorLine = -1;
    private int _cursorByte;
    private int _cursorColumn;

    [GeneratedRegex(@"\s*(Path: \S*)?\s*\|?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?", RegexOptions.IgnoreCase)]
    private static partial Regex PositionSuffix();
}
