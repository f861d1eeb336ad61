namespace Weft.Definitions.Loading;

/// <summary>Splits the short form of an HTTP task, <c>"[METHOD] URL [BODY]"</c>, into its parts with
/// the offset of each in the text (for error places). Words are split on spaces outside templates:
/// <c>{{ params.base }}/x</c> is one word, so a URL that starts with a template is not read as a
/// method. The body is the rest of the text, spaces and all.</summary>
internal readonly record struct HttpShortForm(
    string Method,
    int MethodStart,
    string Url,
    int UrlStart,
    string? Body,
    int BodyStart)
{
    public static HttpShortForm Parse(string text)
    {
        var first = NextWord(text, 0);
        var second = NextWord(text, first.End);

        // The first word is a method when it looks like one and a URL follows; a lone word is the URL
        // of a GET. A method may come from a template ("{{ params.verb }} URL").
        if (second.Length > 0 && IsMethodLike(text, first))
        {
            var bodyStart = SkipSpaces(text, second.End);
            var body = text[bodyStart..].TrimEnd();
            return new HttpShortForm(
                text[first.Start..first.End], first.Start, text[second.Start..second.End], second.Start,
                body.Length == 0 ? null : body, bodyStart);
        }

        // Without a method the whole text is the URL; a stray second word then makes an invalid URL,
        // which the handler reports, rather than being silently sent as a GET body.
        var url = text[first.Start..].TrimEnd();
        return new HttpShortForm("GET", first.Start, url, first.Start, null, text.Length);
    }

    private static bool IsMethodLike(string text, (int Start, int End, int Length) word)
    {
        var span = text.AsSpan(word.Start, word.End - word.Start);
        if (span.Length == 0)
        {
            return false;
        }

        if (span.StartsWith("{{") && span.EndsWith("}}") && span[2..].IndexOf("{{") < 0)
        {
            return true;
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The next word from <paramref name="from"/>: spaces inside <c>{{ }}</c> do not end it.</summary>
    private static (int Start, int End, int Length) NextWord(string text, int from)
    {
        var start = SkipSpaces(text, from);
        var i = start;
        while (i < text.Length && !IsSpace(text[i]))
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf("}}", i + 2, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 2;
                continue;
            }

            i++;
        }

        return (start, i, i - start);
    }

    private static int SkipSpaces(string text, int from)
    {
        while (from < text.Length && IsSpace(text[from]))
        {
            from++;
        }

        return from;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';
}
