namespace Weft.Cli;

/// <summary>Which store <c>--store</c> names. Only the in-memory store exists so far; a later issue
/// adds SQLite (the default in DESIGN.md) and PostgreSQL here.</summary>
internal static class StoreChoice
{
    public const string Memory = "memory";

    public const string Default = Memory;

    /// <summary>Null when <paramref name="name"/> is usable, else the message to show.</summary>
    public static string? Check(string? name) =>
        string.Equals(name ?? Default, Memory, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"store '{name}' is not available yet; use --store memory";
}
