using System.Globalization;
using System.Text;

namespace Weft.Cli.Output;

/// <summary>The one place text from tasks and stores (output, errors, names, parameters) is made safe
/// for a terminal before a text view prints it. A task's output is anyone's bytes: an escape sequence
/// in it could retitle the window (<c>ESC ]0;…</c>), clear the screen (<c>ESC [2J</c>), move the
/// cursor to overwrite earlier lines, or reverse the text direction to disguise what is shown. So
/// every control character except line feed and tab is shown as a visible escape (<c>\x1b</c>,
/// <c>\r</c>, <c>\u202e</c>) instead of reaching the terminal. A CR LF line end is kept as LF.
/// JSON documents need none of this (their encoder escapes control characters), nor does
/// <c>weft runs output --raw</c>, which promises the bytes as recorded.</summary>
internal static class TerminalText
{
    /// <summary><paramref name="text"/> with control characters escaped; the same string when it has none.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var first = FirstUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsUnsafe(c))
            {
                sb.Append(c);
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                // A CR LF line end: the LF that follows is the line break.
            }
            else if (c == '\r')
            {
                sb.Append("\\r");
            }
            else if (c <= '\u00ff')
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // C0 (but LF and TAB), DEL, C1 (which some terminals read as escape sequences, e.g. U+009B as
    // CSI), and the bidirectional overrides and isolates that reorder what a reader sees.
    private static bool IsUnsafe(char c) =>
        c < ' ' ? c is not ('\n' or '\t')
        : c is >= '\u007f' and <= '\u009f'
            or >= '\u202a' and <= '\u202e'
            or >= '\u2066' and <= '\u2069'
            or '\u200e' or '\u200f' or '\u061c';
}
