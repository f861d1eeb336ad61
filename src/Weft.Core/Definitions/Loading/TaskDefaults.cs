namespace Weft.Definitions.Loading;

/// <summary>The inheritable task fields (<c>defaults</c>, or a task's own), with the places of the
/// fields that the validator may need to point at.</summary>
internal sealed record TaskDefaults
{
    public TimeSpan? Timeout { get; init; }

    public RetryPolicy? Retry { get; init; }

    public TaskPriority? Priority { get; init; }

    public TriggerRule? Trigger { get; init; }

    /// <summary>Places keyed by field path ("timeout", "retry.maxAttempts").</summary>
    public List<(string Field, SourceLocation Location)> Places { get; init; } = [];

    /// <summary>These values, with <paramref name="fallback"/>'s where these have none. A retry
    /// policy is taken whole: a task's retry does not merge with the default one.</summary>
    public TaskDefaults Over(TaskDefaults fallback)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        AddIf(Timeout is null, FieldPaths.Timeout);
        AddIf(Retry is null, FieldPaths.Retry);
        return new TaskDefaults
        {
            Timeout = Timeout ?? fallback.Timeout,
            Retry = Retry ?? fallback.Retry,
            Priority = Priority ?? fallback.Priority,
            Trigger = Trigger ?? fallback.Trigger,
            Places = [.. Places, .. fallback.Places.Where(p => taken.Contains(p.Field.Split('.')[0]))],
        };

        void AddIf(bool condition, string field)
        {
            if (condition)
            {
                taken.Add(field);
            }
        }
    }

    public TaskDefinition ApplyTo(TaskDefinition task, int index, SourceMap map)
    {
        foreach (var (field, location) in Places)
        {
            map.Add(index, field, location);
        }

        return task with
        {
            Timeout = Timeout,
            Retry = Retry ?? RetryPolicy.None,
            Priority = Priority ?? TaskPriority.Normal,
            Trigger = Trigger ?? TriggerRule.AllSuccess,
        };
    }
}
