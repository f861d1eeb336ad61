namespace Weft.Definitions;

/// <summary>A task that runs once per element of a JSON array known only at run time (<c>map:</c>).
/// Each instance sees <c>{{ item }}</c> and <c>{{ index }}</c>; the task's output is the array of the
/// instances' outputs in element order.</summary>
/// <param name="Over">A template that resolves to a JSON array, e.g. <c>{{ tasks.list.output }}</c>.</param>
public sealed record MapSpec(string Over)
{
    /// <summary>At most this many instances of the task run at once; null: no limit beyond the run's.</summary>
    public int? MaxParallel { get; init; }
}
