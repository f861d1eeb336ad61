namespace Weft.Scheduling;

internal sealed partial class RunExecution
{
    // Effective deadline per task in UTC ticks; null (no cost) for the many runs without deadlines.
    private long[]? _deadlines;

    /// <summary>The task's effective deadline in UTC ticks, or <see cref="ReadyQueue.NoDeadline"/>.</summary>
    public long DeadlineOf(int task) => _deadlines is null ? ReadyQueue.NoDeadline : _deadlines[DefIndex(task)];

    /// <summary>Works out each task's effective deadline once, at submit: the earliest of its own,
    /// the workflow's and <paramref name="runDeadline"/> (from the submit options).</summary>
    public void ResolveDeadlines(DateTimeOffset? runDeadline)
    {
        var plan = Plan;
        if (!plan.HasDeadlines && runDeadline is null)
        {
            return;
        }

        var run = Math.Min(
            plan.Definition.Deadline?.Resolve(SubmittedAt).UtcTicks ?? ReadyQueue.NoDeadline,
            runDeadline?.UtcTicks ?? ReadyQueue.NoDeadline);
        var deadlines = new long[plan.Count];
        for (var i = 0; i < deadlines.Length; i++)
        {
            var own = plan.Tasks[i].Deadline?.Resolve(SubmittedAt).UtcTicks ?? ReadyQueue.NoDeadline;
            deadlines[i] = Math.Min(own, run);
        }

        _deadlines = deadlines;
    }
}
