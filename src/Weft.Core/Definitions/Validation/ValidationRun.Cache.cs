using Weft.Definitions.Loading;

namespace Weft.Definitions.Validation;

/// <summary>A task's explicit cache key is a template like the spec's strings: well-formed, naming
/// declared params and upstream tasks only (a key that cannot be rendered would silently bypass
/// the cache).</summary>
internal sealed partial class ValidationRun
{
    private static IEnumerable<(string Field, string Text)> CacheKeyText(TaskDefinition task) =>
        task.Cache?.Key is { } key ? [(FieldPaths.CacheKey, key)] : [];
}
