using Weft.Definitions;
using Weft.Templates;

namespace Weft.Execution;

/// <summary>One attempt of one task, as handed to its <see cref="ITaskHandler"/>. A struct, so the
/// hot path allocates nothing for it.</summary>
public readonly struct TaskInvocation
{
    /// <summary>The run this attempt belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The name of the run's workflow.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>The task's id within its workflow.</summary>
    public required string TaskId { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public required int Attempt { get; init; }

    /// <summary>The task's kind-specific fields, templates not yet rendered (render them with <see cref="Values"/>).</summary>
    public required TaskSpec Spec { get; init; }

    /// <summary>Fires on the task's timeout and on cancellation of the run.</summary>
    public required CancellationToken CancellationToken { get; init; }

    /// <summary>The engine's clock: use it, not the wall clock, for delays and timestamps (tests run on a fake one).</summary>
    public required TimeProvider TimeProvider { get; init; }

    /// <summary>Maximum bytes of output kept (UTF-8); beyond it the output is cut and marked.</summary>
    public required int OutputLimit { get; init; }

    /// <summary>The values of this task's template references (parameters, run id, upstream outputs).</summary>
    public required ITemplateValues Values { get; init; }

    /// <summary>Renders <paramref name="text"/> with this task's values.</summary>
    public string Render(string text) =>
        Template.MayContainReferences(text) ? Template.Parse(text).Render(Values.Resolve) : text;
}
