using System.Globalization;
using System.Text.Json;

namespace Weft.Definitions;

/// <summary>A sensor's condition: a small, safe expression over the polled response and the run's
/// values, written <c>{{ response.json.status == 'done' and response.status == 200 }}</c> (the braces
/// are optional). Comparisons (<c>== != &lt; &lt;= &gt; &gt;=</c>) of paths, quoted strings, numbers,
/// <c>true</c>, <c>false</c> and <c>null</c>, joined by <c>and</c>, <c>or</c>, <c>not</c> and
/// parentheses. Paths: <c>response.status</c>, <c>response.body</c>, <c>response.json.FIELD…</c>
/// (members and <c>[n]</c> items), <c>params.NAME</c>, <c>tasks.ID.output.FIELD…</c>, <c>run.id</c>.
/// Nothing else can be called or reached. A path that leads nowhere is <c>null</c>, so a response
/// without the field simply does not match yet.</summary>
internal sealed class WaitCondition
{
    private readonly Node _root;

    private WaitCondition(Node root, IReadOnlyList<(string[] Path, int Offset)> paths)
    {
        _root = root;
        Paths = paths;
    }

    /// <summary>Every path the condition reads, with its offset in the text (for validation).</summary>
    public IReadOnlyList<(string[] Path, int Offset)> Paths { get; }

    /// <summary>Parses <paramref name="text"/>; null with the error and its offset in the text when it does not parse.</summary>
    public static WaitCondition? Parse(string text, out string? error, out int errorOffset)
    {
        var parser = new Parser(text);
        try
        {
            var root = parser.ParseWhole();
            error = null;
            errorOffset = 0;
            return new WaitCondition(root, parser.Paths);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            errorOffset = parser.ErrorOffset;
            return null;
        }
    }

    /// <summary>True when the condition holds; <paramref name="resolve"/> gives a path's value as JSON
    /// (null when it leads nowhere).</summary>
    public bool Evaluate(Func<string[], JsonElement?> resolve) => Truthy(_root.Eval(resolve));

    private static bool Truthy(JsonElement? value) => value switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined } => false,
        { ValueKind: JsonValueKind.String } v => v.GetString() is { Length: > 0 },
        { ValueKind: JsonValueKind.Number } v => v.GetDouble() != 0,
        _ => true,
    };

    private static JsonElement Bool(bool value) => value ? True : False;

    private static readonly JsonElement True = JsonDocument.Parse("true").RootElement.Clone();
    private static readonly JsonElement False = JsonDocument.Parse("false").RootElement.Clone();

    private abstract class Node
    {
        public abstract JsonElement? Eval(Func<string[], JsonElement?> resolve);
    }

    private sealed class Literal(JsonElement value) : Node
    {
        public override JsonElement? Eval(Func<string[], JsonElement?> resolve) => value;
    }

    private sealed class PathNode(string[] path) : Node
    {
        public override JsonElement? Eval(Func<string[], JsonElement?> resolve) => resolve(path);
    }

    private sealed class Not(Node inner) : Node
    {
        public override JsonElement? Eval(Func<string[], JsonElement?> resolve) => Bool(!Truthy(inner.Eval(resolve)));
    }

    private sealed class Logic(Node left, Node right, bool and) : Node
    {
        public override JsonElement? Eval(Func<string[], JsonElement?> resolve)
        {
            var l = Truthy(left.Eval(resolve));
            return Bool(and ? l && Truthy(right.Eval(resolve)) : l || Truthy(right.Eval(resolve)));
        }
    }

    private sealed class Compare(Node left, Node right, string op) : Node
    {
        public override JsonElement? Eval(Func<string[], JsonElement?> resolve)
        {
            var l = left.Eval(resolve);
            var r = right.Eval(resolve);
            if (op is "==" or "!=")
            {
                return Bool(Equal(l, r) == (op == "=="));
            }

            if (Order(l, r) is not { } order)
            {
                return Bool(false); // not comparable (a missing field, a string against an object): no match
            }

            return Bool(op switch
            {
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            });
        }

        private static bool IsNull(JsonElement? v) => v is null || v.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

        private static bool Equal(JsonElement? l, JsonElement? r)
        {
            if (IsNull(l) || IsNull(r))
            {
                return IsNull(l) && IsNull(r);
            }

            var a = l!.Value;
            var b = r!.Value;
            if (Number(a) is { } x && Number(b) is { } y && (a.ValueKind == JsonValueKind.Number || b.ValueKind == JsonValueKind.Number))
            {
                return x == y;
            }

            if (a.ValueKind is JsonValueKind.True or JsonValueKind.False || b.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return Text(a) == Text(b);
            }

            return a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String
                ? string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal)
                : string.Equals(Text(a), Text(b), StringComparison.Ordinal);
        }

        private static int? Order(JsonElement? l, JsonElement? r)
        {
            if (IsNull(l) || IsNull(r))
            {
                return null;
            }

            var a = l!.Value;
            var b = r!.Value;
            if (Number(a) is { } x && Number(b) is { } y)
            {
                return x.CompareTo(y);
            }

            return a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String
                ? string.CompareOrdinal(a.GetString(), b.GetString())
                : null;
        }

        // A number, or a string that holds one (template values and headers are text).
        private static double? Number(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };

        private static string Text(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? string.Empty,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => v.GetRawText(),
        };
    }

    private sealed class Parser(string text)
    {
        private static readonly string[] Roots = ["response", "params", "tasks", "run"];
        private int _pos;

        public List<(string[] Path, int Offset)> Paths { get; } = [];

        public int ErrorOffset { get; private set; }

        public Node ParseWhole()
        {
            Skip();
            var end = text.Length;
            if (At("{{"))
            {
                var close = text.LastIndexOf("}}", StringComparison.Ordinal);
                if (close < 2 || text.AsSpan(close + 2).Trim().Length > 0)
                {
                    throw Fail(_pos, "a condition written in '{{' must end with '}}' and hold nothing after it");
                }

                _pos += 2;
                end = close;
            }

            var node = Or(end);
            Skip();
            if (_pos < end)
            {
                throw Fail(_pos, $"unexpected '{Snippet(end)}'; join conditions with 'and' or 'or'");
            }

            return node;
        }

        private Node Or(int end)
        {
            var left = And(end);
            while (Keyword("or", end))
            {
                left = new Logic(left, And(end), and: false);
            }

            return left;
        }

        private Node And(int end)
        {
            var left = Unary(end);
            while (Keyword("and", end))
            {
                left = new Logic(left, Unary(end), and: true);
            }

            return left;
        }

        private Node Unary(int end)
        {
            if (Keyword("not", end))
            {
                return new Not(Unary(end));
            }

            var left = Operand(end);
            Skip();
            foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
            {
                if (_pos < end && At(op))
                {
                    _pos += op.Length;
                    return new Compare(left, Operand(end), op);
                }
            }

            if (_pos < end && text[_pos] == '=')
            {
                throw Fail(_pos, "'=' is not a comparison; write '=='");
            }

            return left;
        }

        private Node Operand(int end)
        {
            Skip();
            if (_pos >= end)
            {
                throw Fail(_pos, "the condition ends where a value was expected");
            }

            var c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var inner = Or(end);
                Skip();
                if (_pos >= end || text[_pos] != ')')
                {
                    throw Fail(_pos, "a '(' is not closed");
                }

                _pos++;
                return inner;
            }

            if (c is '\'' or '"')
            {
                return new Literal(JsonSerializer.SerializeToElement(QuotedString(c, end)));
            }

            if (char.IsAsciiDigit(c) || (c == '-' && _pos + 1 < end && char.IsAsciiDigit(text[_pos + 1])))
            {
                var start = _pos++;
                while (_pos < end && (char.IsAsciiDigit(text[_pos]) || text[_pos] is '.' or 'e' or 'E' or '+' or '-'))
                {
                    _pos++;
                }

                var number = text[start.._pos];
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw Fail(start, $"'{number}' is not a number");
                }

                return new Literal(JsonSerializer.SerializeToElement(value));
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                return Path(end);
            }

            throw Fail(_pos, $"unexpected '{Snippet(end)}' where a value was expected (a path such as response.json.status, a quoted string, a number, true, false or null)");
        }

        private string QuotedString(char quote, int end)
        {
            var start = _pos++;
            var value = new System.Text.StringBuilder();
            while (_pos < end && text[_pos] != quote)
            {
                if (text[_pos] == '\\' && _pos + 1 < end)
                {
                    _pos++;
                }

                value.Append(text[_pos++]);
            }

            if (_pos >= end)
            {
                throw Fail(start, "a quoted string is not closed");
            }

            _pos++;
            return value.ToString();
        }

        private Node Path(int end)
        {
            var start = _pos;
            var first = Identifier(end);
            switch (first)
            {
                case "true":
                    return new Literal(True);
                case "false":
                    return new Literal(False);
                case "null":
                    return new Literal(JsonDocument.Parse("null").RootElement.Clone());
            }

            if (Array.IndexOf(Roots, first) < 0)
            {
                throw Fail(start, $"unknown name '{first}': a path starts with response, params, tasks or run");
            }

            List<string> path = [first];
            while (_pos < end)
            {
                if (text[_pos] == '.')
                {
                    _pos++;
                    path.Add(Identifier(end));
                }
                else if (text[_pos] == '[')
                {
                    var open = _pos++;
                    var digits = _pos;
                    while (_pos < end && char.IsAsciiDigit(text[_pos]))
                    {
                        _pos++;
                    }

                    if (_pos == digits || _pos >= end || text[_pos] != ']')
                    {
                        throw Fail(open, "an item is written [n], with n a whole number");
                    }

                    path.Add(text[digits.._pos]);
                    _pos++;
                }
                else
                {
                    break;
                }
            }

            string[] result = [.. path];
            Paths.Add((result, start));
            return new PathNode(result);
        }

        private string Identifier(int end)
        {
            var start = _pos;
            while (_pos < end && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '-'))
            {
                _pos++;
            }

            if (_pos == start)
            {
                throw Fail(start, "a name is missing after '.'");
            }

            return text[start.._pos];
        }

        private bool Keyword(string word, int end)
        {
            Skip();
            if (_pos + word.Length <= end && string.CompareOrdinal(text, _pos, word, 0, word.Length) == 0
                && (_pos + word.Length == end || !char.IsAsciiLetterOrDigit(text[_pos + word.Length])))
            {
                _pos += word.Length;
                return true;
            }

            return false;
        }

        private bool At(string token) => string.CompareOrdinal(text, _pos, token, 0, token.Length) == 0;

        private void Skip()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private string Snippet(int end) => text[_pos..Math.Min(end, _pos + 12)];

        private FormatException Fail(int offset, string message)
        {
            ErrorOffset = offset;
            return new FormatException(message);
        }
    }
}
