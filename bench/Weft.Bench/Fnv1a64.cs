namespace Weft.Bench;

/// <summary>FNV-1a, 64 bit, over values fed as 8 little-endian bytes each (WORKLOADS.md, W3 check).</summary>
internal struct Fnv1a64()
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public ulong Value { get; private set; } = OffsetBasis;

    public void Add(ulong value)
    {
        var hash = Value;
        for (var i = 0; i < 8; i++)
        {
            hash ^= (value >> (8 * i)) & 0xFF;
            hash *= Prime;
        }

        Value = hash;
    }
}
