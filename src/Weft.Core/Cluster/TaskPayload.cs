using System.Runtime.CompilerServices;
using System.Text.Json;
using Weft.Definitions;
using Weft.Caching;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Templates;

namespace Weft.Cluster;

/// <summary>The template values one task needs, carried in its queue row so a worker in another
/// process can render the task without the run's state: each reference the task's spec makes
/// (<c>params.x</c>, <c>run.id</c>, <c>tasks.a.output.b</c>) with the text it resolves to, or the
/// error it resolves to. Null for a task without templates (the common case costs nothing).</summary>
internal static class TaskPayload
{
    /// <summary>Resolves every reference of the task's spec with the run's values, now that its
    /// upstream tasks are final.</summary>
    internal static string? Build(RunExecution run, int task)
    {
        var planned = run.TaskDef(task);
        var timeout = EngineTimeout(run, task, planned);
        var spec = planned.Spec;
        if (!UsesTemplates(spec))
        {
            return timeout is null ? null : JsonSerializer.Serialize(new Document { TimeoutTicks = timeout.Value.Ticks }, PayloadJson.Default.Document);
        }

        var recorder = new Recorder(run.ValuesFor(task));
        SpecRenderer.Render(spec, recorder);
        if (recorder.Values.Count == 0 && recorder.Errors.Count == 0 && timeout is null)
        {
            return null;
        }

        return JsonSerializer.Serialize(new Document { Values = recorder.Values, Errors = recorder.Errors, TimeoutTicks = timeout?.Ticks }, PayloadJson.Default.Document);
    }

    /// <summary>The values a worker renders the task with.</summary>
    public static ITemplateValues Read(string? payload) => Read(payload, out _);

    /// <summary>The values a worker renders the task with, and the timeout the scheduler's engine gave a
    /// task that sets none (<see cref="WeftOptions.DefaultTaskTimeout"/>; null: the task's own).</summary>
    public static ITemplateValues Read(string? payload, out TimeSpan? engineTimeout)
    {
        engineTimeout = null;
        if (payload is null)
        {
            return Empty.Instance;
        }

        var document = JsonSerializer.Deserialize(payload, PayloadJson.Default.Document) ?? new Document();
        engineTimeout = document.TimeoutTicks is { } ticks ? TimeSpan.FromTicks(ticks) : null;
        return new Stored(document);
    }

    // The worker reads the task from the stored definition, which is as written: a timeout the engine's
    // defaults filled in travels with the attempt. Without defaults the plan holds the definition's own
    // task objects, so this is one reference comparison.
    private static TimeSpan? EngineTimeout(RunExecution run, int task, Definitions.TaskDefinition planned) =>
        ReferenceEquals(planned, run.Plan.Definition.Tasks[run.DefIndex(task)]) || planned.Timeout == run.Plan.Definition.Tasks[run.DefIndex(task)].Timeout
            ? null
            : planned.Timeout;

    // Most tasks have no templates; finding that out once per spec keeps dispatch allocation-free for them.
    private static readonly ConditionalWeakTable<TaskSpec, object> TemplateFree = [];

    internal static bool UsesTemplates(TaskSpec spec)
    {
        if (TemplateFree.TryGetValue(spec, out _))
        {
            return false;
        }

        var probe = new Probe();
        SpecRenderer.Render(spec, probe);
        if (!probe.Referenced)
        {
            TemplateFree.AddOrUpdate(spec, probe);
        }

        return probe.Referenced;
    }

    private sealed class Probe : ITemplateValues
    {
        public bool Referenced { get; private set; }

        public string Resolve(TemplateReference reference)
        {
            Referenced = true;
            return string.Empty;
        }
    }

    internal sealed class Document
    {
        public Dictionary<string, string> Values { get; init; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Errors { get; init; } = new(StringComparer.Ordinal);

        /// <summary>A timeout from the engine's defaults, in ticks; null: the task's own.</summary>
        public long? TimeoutTicks { get; init; }
    }

    private sealed class Recorder(ITemplateValues inner) : ITemplateValues
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

        public string Resolve(TemplateReference reference)
        {
            var key = reference.ToString();
            try
            {
                var value = inner.Resolve(reference);
                Values[key] = value;
                return value;
            }
            catch (TemplateResolutionException ex)
            {
                Errors[key] = ex.Message;
                return string.Empty;
            }
        }
    }

    private sealed class Stored(Document document) : ITemplateValues
    {
        public string Resolve(TemplateReference reference)
        {
            var key = reference.ToString();
            if (document.Errors.TryGetValue(key, out var error))
            {
                throw new TemplateResolutionException(error);
            }

            return document.Values.TryGetValue(key, out var value)
                ? value
                : throw new TemplateResolutionException($"'{{{{ {key} }}}}' was not resolved by the scheduler");
        }
    }

    private sealed class Empty : ITemplateValues
    {
        public static readonly Empty Instance = new();

        public string Resolve(TemplateReference reference) =>
            throw new TemplateResolutionException($"'{{{{ {reference} }}}}' was not resolved by the scheduler");
    }
}
