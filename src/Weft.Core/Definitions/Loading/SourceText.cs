using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Weft.Definitions.Loading;

/// <summary>Turns the bytes or text of a workflow into text the YAML and JSON readers can take, or
/// into one error with its place: too large, not UTF-8, or holding a character no workflow file may
/// hold (a NUL byte, a control character). Done before parsing, so that neither parser sees them.</summary>
internal static class SourceText
{
    /// <summary>Reads at most <paramref name="maxBytes"/> + 1 bytes: one more than allowed is enough
    /// to know the stream is too large, whatever it is (<c>/dev/zero</c>, a pipe, a huge file).</summary>
    public static byte[] ReadBounded(Stream stream, int maxBytes, string file)
    {
        var limit = (long)maxBytes + 1;
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            while (buffer.Length < limit)
            {
                var read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length));
                if (read == 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (buffer.Length > maxBytes)
        {
            throw TooLarge(file, maxBytes);
        }

        return buffer.ToArray();
    }

    /// <summary>Decodes UTF-8 (a byte order mark is skipped); UTF-16 with its byte order mark is
    /// still read, as <see cref="File.ReadAllText(string)"/> did.</summary>
    public static string Decode(byte[] bytes, string file)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return DecodeUtf16(span, file);
        }

        var chars = new char[span.Length];
        var status = Utf8.ToUtf16(span, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            var (line, column) = PlaceOfByte(span, read);
            throw Error(new SourceLocation(file, line, column),
                $"the file is not valid UTF-8: byte 0x{span[read]:X2} here starts no character; save the workflow as UTF-8 text");
        }

        return new string(chars, 0, written);
    }

    /// <summary>Throws for text above <paramref name="maxBytes"/> (as UTF-8) or holding a character
    /// YAML and JSON both forbid in a file: NUL and the other C0 controls but tab, line feed and
    /// carriage return; a lone surrogate; U+FFFE and U+FFFF. They may still be written as escapes.</summary>
    public static void Check(string text, int maxBytes, string file)
    {
        // Every character is at least one byte, so a text this long is too large without counting.
        if (text.Length > maxBytes || Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            throw TooLarge(file, maxBytes);
        }

        var (line, lineStart) = (1, 0);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                (line, lineStart) = (line + 1, i + 1);
                continue;
            }

            string? problem = c switch
            {
                '\0' => "a NUL byte (U+0000)",
                < ' ' and not '\t' and not '\r' => $"the control character U+{(int)c:X4}",
                '\uFFFE' or '\uFFFF' => $"the non-character U+{(int)c:X4}",
                _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => null,
                _ when char.IsSurrogate(c) => $"a lone UTF-16 surrogate (U+{(int)c:X4})",
                _ => null,
            };
            if (problem is not null)
            {
                throw Error(new SourceLocation(file, line, i - lineStart + 1),
                    $"{problem} is not allowed in a workflow file; write it as an escape (\"\\u{(int)c:X4}\") inside a double-quoted string if it is meant");
            }

            if (char.IsHighSurrogate(c))
            {
                i++; // the pair was checked above
            }
        }
    }

    private static string DecodeUtf16(ReadOnlySpan<byte> span, string file)
    {
        var encoding = span[0] == 0xFF
            ? new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true)
            : new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true);
        try
        {
            return encoding.GetString(span[2..]);
        }
        catch (DecoderFallbackException)
        {
            throw Error(new SourceLocation(file, 1, 1), "the file starts as UTF-16 but is not valid UTF-16; save the workflow as UTF-8 text");
        }
    }

    // Lines are counted by '\n'; a column counts characters, and a UTF-8 continuation byte starts none.
    private static (int Line, int Column) PlaceOfByte(ReadOnlySpan<byte> bytes, int index)
    {
        var before = bytes[..index];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = 1;
        foreach (var b in before[lineStart..])
        {
            if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return (line, column);
    }

    private static WorkflowValidationException TooLarge(string file, int maxBytes) =>
        Error(null, $"{file}: the workflow is larger than {maxBytes} bytes, the most allowed (see 'Size limits' in docs/WORKFLOW-FORMAT.md)");

    private static WorkflowValidationException Error(SourceLocation? place, string message) =>
        new([new WorkflowError(place, message)]);
}
