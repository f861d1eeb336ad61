namespace Weft.Configuration;

/// <summary>One effective value for <c>weft config show</c>: its path as the file writes it
/// (<c>pool.maxWorkers</c>), the value (secrets masked) and where it came from
/// (<c>default</c>, <c>weft.yaml:3</c>, <c>env WEFT__POOL__MAXWORKERS</c>, <c>flag --workers</c>).</summary>
public sealed record ConfigEntry(string Path, string Value, string Source);
