namespace Weft.Bench;

/// <summary>The SplitMix64 generator exactly as WORKLOADS.md spells it, so W3 is the same graph in
/// every engine it is compared with (System.Random's sequence is not specified across runtimes).</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
