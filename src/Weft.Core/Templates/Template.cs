using System.Collections.Concurrent;
using System.Text;

namespace Weft.Templates;

/// <summary>A string with <c>{{ ... }}</c> expressions, parsed once. Literal text and references
/// alternate in <see cref="Segments"/>. <c>{{ '{{' }}</c> is a literal <c>{{</c> (the one way to write
/// one; a lone <c>}}</c> needs no escape). <c>{{ EXPR | raw }}</c> marks a reference whose value goes
/// into an HTTP URL unencoded (see <see cref="TemplateReference.Raw"/>).</summary>
internal sealed class Template
{
    private static readonly ConcurrentDictionary<string, Template> Cache = new(StringComparer.Ordinal);

    private Template(string text, IReadOnlyList<TemplateSegment> segments, IReadOnlyList<TemplateError> errors)
    {
        Text = text;
        Segments = segments;
        Errors = errors;
    }

    public string Text { get; }

    public IReadOnlyList<TemplateSegment> Segments { get; }

    public IReadOnlyList<TemplateError> Errors { get; }

    /// <summary>The literal text that <c>{{ '{{' }}</c> stands for.</summary>
    public const string EscapedOpen = "'{{'";

    public bool HasReferences => Segments.Any(s => s.Reference is not null);

    public IEnumerable<TemplateReference> References =>
        Segments.Where(s => s.Reference is not null).Select(s => s.Reference!);

    /// <summary>True when <paramref name="text"/> may hold an expression; a cheap test before parsing.</summary>
    public static bool MayContainReferences(string? text) => text is not null && text.Contains("{{", StringComparison.Ordinal);

    /// <summary>Parses (and caches) a template. Never throws: problems land in <see cref="Errors"/>.</summary>
    public static Template Parse(string text) => Cache.Count < 10_000
        ? Cache.GetOrAdd(text, static t => ParseUncached(t))
        : ParseUncached(text);

    /// <summary>Renders with <paramref name="resolve"/> supplying each reference's value.</summary>
    public string Render(Func<TemplateReference, string> resolve)
    {
        // Text without escapes or references renders as itself; an escape alone still has to be rendered.
        if (Segments.Count == 0 || (Segments.Count == 1 && ReferenceEquals(Segments[0].Literal, Text)))
        {
            return Text;
        }

        var sb = new StringBuilder(Text.Length + 16);
        foreach (var segment in Segments)
        {
            sb.Append(segment.Reference is null ? segment.Literal : resolve(segment.Reference));
        }

        return sb.ToString();
    }

    private static Template ParseUncached(string text)
    {
        var segments = new List<TemplateSegment>();
        var errors = new List<TemplateError>();
        var pos = 0;
        while (pos < text.Length)
        {
            var open = text.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                errors.Add(new TemplateError("unterminated template expression: '{{' without '}}'", open));
                break;
            }

            if (open > pos)
            {
                segments.Add(new TemplateSegment(text[pos..open], null));
            }

            var expression = text[(open + 2)..close].Trim();
            var length = close + 2 - open;
            if (expression == EscapedOpen)
            {
                segments.Add(new TemplateSegment("{{", null));
                pos = close + 2;
                continue;
            }

            var reference = ParseExpression(expression, open, length, errors);
            segments.Add(reference is null
                ? new TemplateSegment(text.Substring(open, length), null)
                : new TemplateSegment(null, reference));
            pos = close + 2;
        }

        if (pos < text.Length)
        {
            segments.Add(new TemplateSegment(text[pos..], null));
        }

        return new Template(text, segments, errors);
    }

    private static TemplateReference? ParseExpression(string expression, int offset, int length, List<TemplateError> errors)
    {
        var bar = expression.IndexOf('|', StringComparison.Ordinal);
        if (bar >= 0)
        {
            var filter = expression[(bar + 1)..].Trim();
            if (filter != "raw")
            {
                errors.Add(new TemplateError($"unknown filter '{filter}' in '{{{{ {expression} }}}}'; the only filter is 'raw'", offset));
                return null;
            }

            return ParseExpression(expression[..bar].Trim(), offset, length, errors) is { } inner ? inner with { Raw = true } : null;
        }

        var parts = expression.Split('.');
        if (expression.Length == 0 || parts.Any(p => p.Length == 0 || !p.All(IsNameChar)))
        {
            errors.Add(new TemplateError($"malformed template expression '{{{{ {expression} }}}}'", offset));
            return null;
        }

        switch (parts[0])
        {
            case "params" when parts.Length == 2:
                return new TemplateReference(TemplateReferenceKind.Param, parts[1], [], offset, length);
            case "run" when parts.Length == 2 && parts[1] == "id":
                return new TemplateReference(TemplateReferenceKind.RunId, "id", [], offset, length);
            case "tasks" when parts.Length >= 3 && parts[2] == "output":
                return new TemplateReference(TemplateReferenceKind.TaskOutput, parts[1], parts[3..], offset, length);
            case "item":
                return new TemplateReference(TemplateReferenceKind.Item, "item", parts[1..], offset, length);
            case "index" when parts.Length == 1:
                return new TemplateReference(TemplateReferenceKind.Index, "index", [], offset, length);
            default:
                errors.Add(new TemplateError(
                    $"unknown template expression '{{{{ {expression} }}}}'; expected params.NAME, run.id, tasks.ID.output, tasks.ID.output.FIELD, item, item.FIELD or index",
                    offset));
                return null;
        }
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}

/// <summary>Either literal text or a reference.</summary>
internal readonly record struct TemplateSegment(string? Literal, TemplateReference? Reference);
