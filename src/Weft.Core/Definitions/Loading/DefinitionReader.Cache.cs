namespace Weft.Definitions.Loading;

/// <summary>Reading <c>cache</c>: <c>true</c> (the defaults), <c>false</c> (none), or a mapping with
/// <c>ttl</c> and <c>key</c>.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] CacheFields = ["ttl", "key"];

    private CachePolicy? ReadCache(int index, DocNode node, string ctx)
    {
        if (node is DocScalar { Type: ScalarType.Bool })
        {
            return Bool(node, $"'cache' {ctx}") == true ? CachePolicy.Default : null;
        }

        if (node is not DocMapping map)
        {
            Error(node.Location, $"'cache' {ctx} must be true, false or a mapping with {Names.List(CacheFields)}, not {Shown(node)}");
            return null;
        }

        var f = Fields(map, $"in cache {ctx}", CacheFields);
        TimeSpan? ttl = null;
        if (f.TryGetValue("ttl", out var t) && Duration(t.Value, "ttl") is { } value)
        {
            if (value <= TimeSpan.Zero)
            {
                Error(t.Value.Location, $"'ttl' of cache {ctx} must be positive, not {Shown(t.Value)}");
            }
            else if (Durations.TooLong("ttl", value) is { } tooLong)
            {
                Error(t.Value.Location, $"{tooLong} for the cache {ctx}");
            }

            ttl = value;
        }

        string? key = null;
        if (f.TryGetValue("key", out var k) && Text(k.Value, $"'key' of cache {ctx}") is { } text)
        {
            // The validator checks the key's templates like the spec's; this place lets it point into them.
            AddPlace(index, FieldPaths.CacheKey, k.Value);
            key = text;
        }

        return new CachePolicy(ttl, key);
    }
}
