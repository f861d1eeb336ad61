using System.Text;

namespace Weft.Execution;

/// <summary>Bounds outputs so one chatty task cannot exhaust memory or the store.</summary>
internal static class OutputLimit
{
    /// <summary>Default limit: 1 MiB.</summary>
    public const int DefaultBytes = 1024 * 1024;

    /// <summary>Returns <paramref name="text"/> cut to at most <paramref name="maxBytes"/> UTF-8 bytes
    /// (on a character boundary) followed by a marker, or the text itself when it fits.</summary>
    public static string Apply(string text, int maxBytes, out bool truncated)
    {
        // Fast path: a UTF-8 character is at most 3 bytes per UTF-16 char.
        if ((long)text.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            truncated = false;
            return text;
        }

        truncated = true;
        var total = Encoding.UTF8.GetByteCount(text);
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(i, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            i += width;
        }

        return string.Concat(text.AsSpan(0, i), $"\n…[output truncated: {total} bytes, limit {maxBytes}]");
    }
}
