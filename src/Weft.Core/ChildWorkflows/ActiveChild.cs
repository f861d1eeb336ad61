using Weft.Definitions;

namespace Weft.ChildWorkflows;

/// <summary>One attempt of a <c>workflow:</c> task while its child run runs (kept per run, by task, in
/// <see cref="Scheduling.RunExecution.Children"/>). The child's run id follows from the parent run, task and
/// attempt (<see cref="ChildRunIds"/>), so a restarted engine or a new leader finds the same child run
/// instead of starting a second one. A report that comes after the attempt ended finds another (or no)
/// <see cref="ActiveChild"/> under the task and changes nothing.</summary>
internal sealed class ActiveChild(ChildWorkflowSpec spec, int attempt, string runId, IReadOnlyDictionary<string, string> parameters)
{
    public ChildWorkflowSpec Spec { get; } = spec;

    /// <summary>The parent task's attempt this child belongs to.</summary>
    public int Attempt { get; } = attempt;

    /// <summary>The child run's id.</summary>
    public string RunId { get; } = runId;

    /// <summary>The child's parameters, rendered from the task's <c>params</c> when the attempt began.</summary>
    public IReadOnlyDictionary<string, string> Params { get; } = parameters;

    /// <summary>Set (under the lock) when the parent task stops holding this child: cancelled with its run.
    /// A child submitted after that is cancelled at once.</summary>
    public bool Dropped { get; set; }
}

/// <summary>How a child run ended, as its parent task needs it: its state, the JSON object of its task
/// outputs by task id, and what went wrong.</summary>
internal readonly record struct ChildResult(RunState State, string? Output, string? Error);
