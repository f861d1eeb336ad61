using System.Buffers;
using System.Text;
using System.Text.Json;
using Weft.Coordination;
using Weft.Definitions;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft.ChildWorkflows;

/// <summary>The engine's side of <c>workflow:</c> tasks, outside the lock: starts a task's child run through
/// the same engine (or finds the one its attempt already started, after a restart or a leader takeover),
/// waits for it to end and reports the end to the scheduler (<see cref="Scheduler.ChildEnded"/>); cancels
/// the child when its parent task lets go of it. Nesting deeper than <see cref="WeftOptions.MaxWorkflowDepth"/>
/// fails the task that would go deeper, naming the chain.</summary>
internal sealed class ChildRuns(WeftEngine engine, Coordinator coordinator, IWeftStore store, int maxDepth)
{
    /// <summary>Starts the work for a child and returns at once (it is called under the lock).</summary>
    public void Start(RunExecution run, int task, ActiveChild child) => _ = RunAsync(run, task, child);

    /// <summary>Cancels a dropped child and returns at once (it is called under the lock).</summary>
    public void Drop(ActiveChild child) => _ = CancelAsync(child.RunId);

    private async Task RunAsync(RunExecution run, int task, ActiveChild child)
    {
        await Task.Yield(); // never under the caller's lock
        ChildResult result;
        try
        {
            result = await AttachOrStartAsync(run, task, child).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (coordinator.Stopping || coordinator.Draining)
            {
                return; // the engine stops: the task stays waiting in the store, and a resume finds its child
            }

            result = new ChildResult(RunState.Failed, null, $"child workflow '{child.Spec.Workflow}' (run {child.RunId}): {Describe(ex)}");
        }

        coordinator.Step((run, task, child, result), static (s, a) => s.ChildEnded(a.run, a.task, a.child, a.result));
    }

    private async Task<ChildResult> AttachOrStartAsync(RunExecution run, int task, ActiveChild child)
    {
        if (HeldHere(child.RunId) is { } held)
        {
            return await EndOfAsync(child, held).ConfigureAwait(false);
        }

        // Restarted, or a new leader: the attempt may have started its child already.
        if (await store.GetRunAsync(child.RunId).ConfigureAwait(false) is { } recorded)
        {
            if (recorded.State.IsFinal())
            {
                return await ResultOfAsync(child, recorded).ConfigureAwait(false);
            }

            var resumed = await engine.ResumeAsync(child.RunId).ConfigureAwait(false);
            return await EndOfAsync(child, resumed.Completion).ConfigureAwait(false);
        }

        if (await DepthProblemAsync(run).ConfigureAwait(false) is { } tooDeep)
        {
            return new ChildResult(RunState.Failed, null, tooDeep);
        }

        var definition = child.Spec.Definition ?? await RegisteredAsync(child.Spec.Workflow).ConfigureAwait(false);
        if (definition is null)
        {
            return new ChildResult(RunState.Failed, null, $"child workflow '{child.Spec.Workflow}' is not registered (weft workflows register FILE)");
        }

        RunHandle handle;
        try
        {
            handle = await engine.SubmitAsync(definition, child.Params, new SubmitOptions
            {
                RunId = child.RunId,
                ParentRunId = run.RunId,
                ParentTaskId = run.TaskId(task),
                TriggeredBy = $"parent {run.RunId}/{run.TaskId(task)}",
                Priority = run.PriorityOverride,
                WaitIfQueueFull = true,
                ParentTrace = Telemetry.WeftTracing.Source.HasListeners() ? Telemetry.WeftTracing.RunContext(run) : default,
            }).ConfigureAwait(false);
        }
        catch (WeftDuplicateRunException)
        {
            // Another process (a leader taking over at the same moment) recorded it first: follow that one.
            var resumed = await engine.ResumeAsync(child.RunId).ConfigureAwait(false);
            return await EndOfAsync(child, resumed.Completion).ConfigureAwait(false);
        }

        bool dropped;
        lock (coordinator.Gate)
        {
            dropped = child.Dropped;
        }

        if (dropped)
        {
            await CancelAsync(child.RunId).ConfigureAwait(false); // the parent was cancelled while this was submitted
        }

        return await EndOfAsync(child, handle.Completion).ConfigureAwait(false);
    }

    private Task<RunSnapshot>? HeldHere(string runId)
    {
        lock (coordinator.Gate)
        {
            return coordinator.Runs.TryGetValue(runId, out var held) ? held.Completion.Task : null;
        }
    }

    private async Task<ChildResult> EndOfAsync(ActiveChild child, Task<RunSnapshot> completion)
    {
        var snapshot = await completion.ConfigureAwait(false);
        return await ResultOfAsync(child, snapshot).ConfigureAwait(false);
    }

    /// <summary>The parent task's result from the child's final state: the JSON object of its task outputs
    /// by task id (JSON outputs as they are, other text as strings, none as null); for a child that did not
    /// succeed, an error naming the child run and its unsuccessful tasks.</summary>
    private async Task<ChildResult> ResultOfAsync(ActiveChild child, RunSnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var t in snapshot.Tasks)
            {
                w.WritePropertyName(t.TaskId);
                var output = t.Output;
                if (output is null && t.State is TaskState.Succeeded or TaskState.Cached)
                {
                    output = await store.GetOutputAsync(snapshot.RunId, t.TaskId).ConfigureAwait(false);
                }

                Scheduler.WriteJsonOrText(w, output);
            }

            w.WriteEndObject();
        }

        var outputs = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (snapshot.State == RunState.Succeeded)
        {
            return new ChildResult(RunState.Succeeded, outputs, null);
        }

        var failed = snapshot.Tasks.Where(t => t.State is TaskState.Failed or TaskState.TimedOut or TaskState.Cancelled).ToList();
        var named = failed.Take(5).Select(t => t.Error is { } e ? $"{t.TaskId} ({t.State.ToName()}: {FirstLine(e)})" : $"{t.TaskId} ({t.State.ToName()})");
        var tasks = failed.Count == 0 ? string.Empty : $": {string.Join(", ", named)}{(failed.Count > 5 ? ", …" : string.Empty)}";
        var error = $"child run {snapshot.RunId} of workflow '{snapshot.Workflow}' {snapshot.State.ToName()}{tasks}";
        return new ChildResult(snapshot.State, outputs, error);
    }

    /// <summary>Refuses a definition whose <c>workflow:</c> tasks name a workflow the registry does not know,
    /// or give a registered child parameters it does not declare (or leave out a required one): the engine
    /// knows its registry, the loader does not. Children read from files were checked when loaded.</summary>
    public async ValueTask CheckRegisteredAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        List<WorkflowError>? errors = null;
        foreach (var (task, spec) in ChildTasks(definition))
        {
            if (spec.Definition is not null)
            {
                continue;
            }

            var registered = await engine.Workflows.FindAsync(spec.Workflow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (registered is null)
            {
                (errors ??= []).Add(new WorkflowError(task.Location, $"task '{task.Id}' runs workflow '{spec.Workflow}', which is not registered (weft workflows register FILE, or give a path to its file)"));
                continue;
            }

            foreach (var (_, message) in Definitions.Validation.ValidationRun.ChildParamProblems(task.Id, spec, registered.Definition))
            {
                (errors ??= []).Add(new WorkflowError(task.Location, message));
            }
        }

        if (errors is not null)
        {
            throw new WorkflowValidationException(errors);
        }
    }

    private static IEnumerable<(TaskDefinition Task, ChildWorkflowSpec Spec)> ChildTasks(WorkflowDefinition definition)
    {
        foreach (var task in definition.Tasks)
        {
            if (task.Spec is ChildWorkflowSpec spec)
            {
                yield return (task, spec);
                if (spec.Definition is { } inner)
                {
                    foreach (var nested in ChildTasks(inner))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }

    private async Task<WorkflowDefinition?> RegisteredAsync(string name) =>
        (await engine.Workflows.FindAsync(name).ConfigureAwait(false))?.Definition;

    /// <summary>Why <paramref name="run"/> may not start a child: it is already <c>maxDepth</c> levels down. The
    /// chain is read from runs this engine holds, else from the store.</summary>
    private async Task<string?> DepthProblemAsync(RunExecution run)
    {
        List<string> chain = [$"{run.WorkflowName} ({run.RunId})"];
        var parent = run.ParentRunId;
        while (parent is not null && chain.Count < maxDepth)
        {
            string? workflow;
            string? next;
            RunExecution? held;
            lock (coordinator.Gate)
            {
                coordinator.Runs.TryGetValue(parent, out held);
                workflow = held?.WorkflowName;
                next = held?.ParentRunId;
            }

            if (held is null)
            {
                var stored = await store.ListRunsAsync(new RunQuery { IdPrefix = parent, Limit = 1 }).ConfigureAwait(false);
                workflow = stored.Count > 0 ? stored[0].Workflow : "?";
                next = stored.Count > 0 ? stored[0].ParentRunId : null;
            }

            chain.Insert(0, $"{workflow} ({parent})");
            parent = next;
        }

        if (chain.Count < maxDepth)
        {
            return null;
        }

        return $"child workflow not started: runs may nest at most {maxDepth} deep (WeftOptions.MaxWorkflowDepth, config key maxWorkflowDepth), "
            + $"and this run is at depth {maxDepth}: {string.Join(" → ", chain)}";
    }

    private async Task CancelAsync(string runId)
    {
        await Task.Yield();
        try
        {
            if (!await engine.CancelAsync(runId).ConfigureAwait(false) && await store.GetRunAsync(runId).ConfigureAwait(false) is { } stored
                && !stored.State.IsFinal() && HeldHere(runId) is null)
            {
                await engine.CancelStoredAsync(runId).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The child ended meanwhile, or another process holds it: nothing more to do from here.
            _ = ex;
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        WorkflowValidationException v => string.Join("; ", v.Errors),
        _ => ex.Message,
    };

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? text : text[..end];
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
