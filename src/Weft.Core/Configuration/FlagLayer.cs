namespace Weft.Configuration;

/// <summary>Values given on the command line, each with the flag that gave it. Only flags the user
/// typed belong here: a flag's own default must not hide the file's value.</summary>
internal sealed class FlagLayer : ConfigLayer
{
    private readonly Dictionary<string, string> _flags = new(StringComparer.OrdinalIgnoreCase);

    public FlagLayer(IEnumerable<ConfigFlag> flags)
    {
        foreach (var flag in flags)
        {
            Data[flag.Key] = flag.Value;
            _flags[flag.Key] = flag.Flag;
        }
    }

    public override string Describe(string key) => _flags.TryGetValue(key, out var flag) ? $"flag {flag}" : "flag";
}
