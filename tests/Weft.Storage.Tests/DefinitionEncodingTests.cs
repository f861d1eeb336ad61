using System.Globalization;
using Weft.Definitions;

namespace Weft.Storage.Tests;

/// <summary>How a store encodes the definition it records: streamed, so a definition of a very large
/// workflow never exists whole as JSON in memory, and still exactly what the codec would make of its
/// JSON — same content hash, same text once decoded.</summary>
public sealed class DefinitionEncodingTests
{
    private static WorkflowDefinition Flat(int n) => new("flat", [.. Enumerable.Range(0, n).Select(i =>
        new TaskDefinition("t" + i.ToString(CultureInfo.InvariantCulture), NoopSpec.Instance))]);

    public static TheoryData<int, int> Sizes => new()
    {
        { 1, 1024 },       // under the threshold: kept as it is
        { 20_000, 1024 },  // many writer flushes, compressed
        { 3, 0 },          // a threshold of 0 compresses everything that gets smaller
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Encode_StreamedDefinition_DecodesToItsJson_UnderItsContentHash(int tasks, int threshold)
    {
        var definition = tasks == 1 ? Samples.Rich() : Flat(tasks);
        var codec = new BlobCodec(threshold, null);
        var json = DefinitionJson.Write(definition);

        var encoded = new DefinitionCache().Encode(definition, codec);

        Assert.Equal(DefinitionJson.Hash(definition), encoded.Hash);
        Assert.Equal(json, codec.Decode(encoded.Body, encoded.Flags, "definition"));
        var plain = codec.Encode(json, secret: false, out var flags);
        Assert.Equal(flags, encoded.Flags);
        if (flags == BlobFlags.None)
        {
            Assert.Equal(plain, encoded.Body);
        }
        else
        {
            Assert.True(encoded.Body.Length < json.Length, $"{encoded.Body.Length} bytes for {json.Length} of JSON");
        }
    }

    [Fact]
    public void Encode_SameDefinitionObjectTwice_EncodesOnce_AndReadsFindIt()
    {
        var cache = new DefinitionCache();
        var definition = Flat(3);
        var codec = new BlobCodec(1024, null);

        var first = cache.Encode(definition, codec);

        Assert.Same(first, cache.Encode(definition, codec));
        Assert.True(cache.TryGet(first.Hash, out var known));
        Assert.Same(definition, known);
    }
}
