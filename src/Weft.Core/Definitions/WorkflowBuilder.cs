namespace Weft.Definitions;

/// <summary>Builds a <see cref="WorkflowDefinition"/> in C#; <see cref="Build"/> validates like the loader.</summary>
public sealed class WorkflowBuilder
{
    private readonly string _name;
    private readonly List<ParamDefinition> _params = [];
    private readonly List<TaskBuilder> _tasks = [];
    private string? _description;
    private DeadlineSpec? _deadline;

    internal WorkflowBuilder(string name) => _name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>Free text shown in listings and the dashboard.</summary>
    public WorkflowBuilder Description(string description)
    {
        _description = description;
        return this;
    }

    /// <summary>Every run should be done this long after it was submitted; its tasks inherit it.</summary>
    public WorkflowBuilder Deadline(TimeSpan afterSubmit)
    {
        _deadline = DeadlineSpec.AfterSubmit(afterSubmit);
        return this;
    }

    /// <summary>Declares a run parameter (see <see cref="ParamDefinition"/>); a <paramref name="secret"/> value is never shown in clear.</summary>
    public WorkflowBuilder Param(string name, string? defaultValue = null, bool required = false, bool secret = false, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        _params.Add(new ParamDefinition(name) { Default = defaultValue, Required = required, Secret = secret, Description = description });
        return this;
    }

    /// <summary>Adds a task with id <paramref name="id"/>; <paramref name="configure"/> must give it exactly one kind.</summary>
    public WorkflowBuilder Task(string id, Action<TaskBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(configure);
        var task = new TaskBuilder(id);
        configure(task);
        _tasks.Add(task);
        return this;
    }

    /// <summary>Validates and returns the definition; throws <see cref="WorkflowValidationException"/>.</summary>
    public WorkflowDefinition Build()
    {
        List<WorkflowError> errors = [];
        var tasks = _tasks.Select(t => t.ToDefinition(errors)).ToList();
        var definition = new WorkflowDefinition(_name, tasks) { Description = _description, Deadline = _deadline, Params = [.. _params] };

        // A kind set with Kind(spec) is taken as known here: which handlers exist is the engine's
        // business, and it validates again with the kinds it has.
        var kinds = Names.BuiltInKinds.Concat(tasks.Select(t => t.Kind)).Distinct(StringComparer.Ordinal).ToList();
        errors.AddRange(WorkflowValidator.Validate(definition, kinds));
        return errors.Count > 0 ? throw new WorkflowValidationException(errors) : definition;
    }
}
