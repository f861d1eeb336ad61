namespace Weft.Definitions;

/// <summary>A task's <c>cache:</c> field: a successful output is kept and reused by later runs whose
/// task would do the same thing. <c>cache: true</c> is <see cref="Default"/>.</summary>
/// <param name="Ttl">How long an entry stays usable; null takes the engine's
/// <c>WeftOptions.Cache.DefaultTtl</c> (1 h unless set).</param>
/// <param name="Key">An explicit key (may hold templates, e.g. <c>orders-{{ params.date }}</c>); null
/// hashes the task's resolved spec and its parents' outputs.</param>
public sealed record CachePolicy(TimeSpan? Ttl = null, string? Key = null)
{
    /// <summary><c>cache: true</c>: the engine's default time to live and a key hashed from the task's work.</summary>
    public static readonly CachePolicy Default = new();
}
