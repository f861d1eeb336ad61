using System.Text;
using Weft.Execution;

namespace Weft.Handlers;

/// <summary>Collects UTF-8 bytes from a process pipe or a response stream, keeping only what the
/// output limit can use, and counting the rest. Memory is bounded by the limit, not by what the
/// producer writes, so a chatty task cannot exhaust the worker. Not thread-safe: one reader each.</summary>
internal sealed class BoundedTextCollector
{
    // A UTF-8 character is at most 4 bytes: keeping this many past the limit guarantees the last
    // character that starts before the limit is complete, so the cut lands on a character boundary.
    private const int Slack = 4;

    private readonly int _maxBytes;
    private byte[] _buffer = [];
    private int _kept;

    public BoundedTextCollector(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        _maxBytes = maxBytes;
    }

    /// <summary>Every byte appended, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>True once enough is kept to decide the output; a reader that can stop early (HTTP) should.</summary>
    public bool IsFull => _kept >= Capacity;

    private int Capacity => (int)Math.Min((long)_maxBytes + Slack, int.MaxValue);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        TotalBytes += bytes.Length;
        var take = Math.Min(bytes.Length, Capacity - _kept);
        if (take <= 0)
        {
            return;
        }

        if (_kept + take > _buffer.Length)
        {
            // Grow geometrically but never past the capacity: small outputs stay small.
            var size = (int)Math.Min(Math.Max((long)_buffer.Length * 2, _kept + take), Capacity);
            Array.Resize(ref _buffer, Math.Max(size, Math.Min(256, Capacity)));
        }

        bytes[..take].CopyTo(_buffer.AsSpan(_kept));
        _kept += take;
    }

    /// <summary>The collected text, cut at the limit and marked by <see cref="OutputLimit.Apply"/>.
    /// <paramref name="knownTotal"/> is the real size when the reader stopped early but knows it (Content-Length).</summary>
    public string ToText(bool trimTrailingNewlines, out bool truncated, long? knownTotal = null)
    {
        var text = Encoding.UTF8.GetString(_buffer, 0, _kept);
        var total = Math.Max(TotalBytes, knownTotal ?? 0);
        if (total <= _maxBytes)
        {
            truncated = false;
            return trimTrailingNewlines ? text.TrimEnd('\n', '\r') : text;
        }

        truncated = true;
        var marked = OutputLimit.Apply(text, _maxBytes, out var cut);
        if (!cut)
        {
            // The kept bytes fit (e.g. invalid UTF-8 decoded shorter) but more were dropped: still mark it,
            // so an output never loses data silently.
            return string.Concat(text, Marker(total));
        }

        // OutputLimit.Apply counts only the bytes we kept; report the real size instead.
        var markerAt = marked.LastIndexOf("\n…[output truncated:", StringComparison.Ordinal);
        return markerAt < 0 ? marked : string.Concat(marked.AsSpan(0, markerAt), Marker(total));
    }

    private string Marker(long total) => $"\n…[output truncated: {total} bytes, limit {_maxBytes}]";
}
