namespace Weft.Configuration;

/// <summary>A configuration value given by a command-line flag: <c>new("Workers", "8", "--workers")</c>.</summary>
public sealed record ConfigFlag(string Key, string Value, string Flag);
