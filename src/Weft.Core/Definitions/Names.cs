namespace Weft.Definitions;

/// <summary>The names a workflow file spells: kinds, enum values, and what makes a valid id.</summary>
internal static class Names
{
    public static readonly string[] BuiltInKinds = ["shell", "http", "function", "sleep", "noop", "sql", "container", "wait", "workflow"];

    public static readonly (string Name, TaskPriority Value)[] Priorities =
    [
        ("critical", TaskPriority.Critical), ("high", TaskPriority.High), ("normal", TaskPriority.Normal), ("low", TaskPriority.Low),
    ];

    public static readonly (string Name, TriggerRule Value)[] Triggers =
    [
        ("all_success", TriggerRule.AllSuccess), ("all_done", TriggerRule.AllDone), ("all_failed", TriggerRule.AllFailed),
        ("one_success", TriggerRule.OneSuccess), ("one_failed", TriggerRule.OneFailed), ("none_failed", TriggerRule.NoneFailed),
    ];

    public static readonly (string Name, RetryStrategy Value)[] Strategies =
    [
        ("none", RetryStrategy.None), ("immediate", RetryStrategy.Immediate), ("fixed", RetryStrategy.Fixed),
        ("exponential", RetryStrategy.Exponential), ("fibonacci", RetryStrategy.Fibonacci),
    ];

    private const string AsciiLettersAndDigits = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    // Searched as spans: checked for every task of every submitted workflow, a million of them at times.
    private static readonly System.Buffers.SearchValues<char> IdChars = System.Buffers.SearchValues.Create(AsciiLettersAndDigits + "_-");
    private static readonly System.Buffers.SearchValues<char> NameChars = System.Buffers.SearchValues.Create(AsciiLettersAndDigits + "._-");

    /// <summary>Task ids and param names: templates reference them as tasks.ID and params.NAME.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && !id.AsSpan().ContainsAnyExcept(IdChars);

    public static bool IsValidWorkflowName(string? name) =>
        !string.IsNullOrEmpty(name) && !name.AsSpan().ContainsAnyExcept(NameChars);

    /// <summary>Pool, breaker, rate limit and queue names (<see cref="ValueChecks.IsLimitName"/>).</summary>
    public static bool IsLimitName(string text) => text.Length > 0 && !text.AsSpan().ContainsAnyExcept(NameChars);

    /// <summary>"a, b and c".</summary>
    public static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= 1 ? string.Concat(all) : string.Join(", ", all.Take(all.Count - 1)) + " and " + all[^1];
    }
}
