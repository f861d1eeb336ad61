using Weft.Definitions;
using Weft.Templates;

namespace Weft.Execution;

/// <summary>One attempt of one task, as handed to its <see cref="ITaskHandler"/>. A struct, so the
/// hot path allocates nothing for it.</summary>
public readonly struct TaskInvocation
{
    public required string RunId { get; init; }

    public required string WorkflowName { get; init; }

    public required string TaskId { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public required int Attempt { get; init; }

    public required TaskSpec Spec { get; init; }

    /// <summary>Fires on the task's timeout and on cancellation of the run.</summary>
    public required CancellationToken CancellationToken { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>Maximum bytes of output kept (UTF-8); beyond it the output is cut and marked.</summary>
    public required int OutputLimit { get; init; }

    public required ITemplateValues Values { get; init; }

    /// <summary>Renders <paramref name="text"/> with this task's values.</summary>
    public string Render(string text) =>
        Template.MayContainReferences(text) ? Template.Parse(text).Render(Values.Resolve) : text;
}
