using System.Text;
using Weft.Handlers;

namespace Weft.Tests.Handlers;

public sealed class BoundedTextCollectorTests
{
    [Fact]
    public void ToText_UnderLimit_ReturnsAllTextTrimmed()
    {
        var collector = new BoundedTextCollector(100);
        collector.Append("héllo\r\n\n"u8);

        Assert.Equal("héllo", collector.ToText(trimTrailingNewlines: true, out var truncated));
        Assert.False(truncated);
        Assert.False(collector.IsFull);
    }

    [Fact]
    public void ToText_MultiByteCharacterStraddlingLimit_CutsOnCharacterBoundary()
    {
        var collector = new BoundedTextCollector(5);

        // "ab" + "€" (3 bytes, ends at byte 5) + "€" (bytes 6-8, past the limit), fed one byte at a time.
        foreach (var b in Encoding.UTF8.GetBytes("ab€€€"))
        {
            collector.Append([b]);
        }

        Assert.Equal("ab€\n…[output truncated: 11 bytes, limit 5]", collector.ToText(trimTrailingNewlines: true, out var truncated));
        Assert.True(truncated);
        Assert.True(collector.IsFull);
        Assert.Equal(11, collector.TotalBytes);
    }

    [Fact]
    public void Append_FarPastLimit_KeepsOnlyBoundedBytes()
    {
        var collector = new BoundedTextCollector(10);
        var chunk = new byte[1 << 20];
        chunk.AsSpan().Fill((byte)'a');

        for (var i = 0; i < 50; i++)
        {
            collector.Append(chunk);
        }

        var text = collector.ToText(trimTrailingNewlines: false, out _, knownTotal: null);
        Assert.Equal($"aaaaaaaaaa\n…[output truncated: {50L << 20} bytes, limit 10]", text);
    }
}
