using Weft.ChildWorkflows;
using Weft.Definitions;
using Weft.Execution;
using Weft.Templates;

namespace Weft.Scheduling;

/// <summary><c>workflow:</c> tasks. When its parents let it run, a workflow task goes straight to
/// <see cref="TaskState.Waiting"/> (reason "child run RUNID") without entering the ready queue: like a wait
/// it takes no slot, no pool place and no <c>maxParallel</c> room, so a child's own tasks can use every slot.
/// The engine submits (or, after a restart, finds) the child run outside the lock
/// (<see cref="OnChildStart"/>) and reports its end with <see cref="ChildEnded"/>. A failed child is a
/// failed attempt: the task's retry policy may start a new attempt, which starts a new child run.</summary>
internal sealed partial class Scheduler
{
    /// <summary>A workflow task's attempt began (or was restored): the engine starts or finds its child run
    /// outside the lock. Called under the lock: it must only start that work.</summary>
    public Action<RunExecution, int, ActiveChild>? OnChildStart { get; set; }

    /// <summary>A workflow task stopped holding its child (its run was cancelled): the engine cancels the
    /// child run outside the lock. Called under the lock: it must only start that work.</summary>
    public Action<ActiveChild>? OnChildDropped { get; set; }

    private void StartChild(RunExecution run, int task, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[task];
        var spec = (ChildWorkflowSpec)run.TaskDef(task).Spec;
        TaskTransitions.Move(ref slot, TaskState.Queued);
        TaskTransitions.Move(ref slot, TaskState.Waiting);

        // A restored attempt that had not ended keeps its number, so it finds the child run it started.
        if (slot.Attempts == 0 || slot.AttemptOutcome is not null)
        {
            slot.BeginAttempt(now);
        }

        var childId = ChildRunIds.For(run.RunId, run.TaskId(task), slot.Attempts);
        slot.WaitReason = $"child run {childId} ({spec.Workflow})";
        JournalAttempt(run, task);
        JournalTask(run, task);
        Emit(run, RunEventKind.TaskStarted, task, now, slot.Attempts);
        Emit(run, RunEventKind.TaskWaiting, task, now, slot.Attempts, slot.WaitReason);

        if (RenderChildParams(run, task, spec, out var problem) is not { } parameters)
        {
            EndChildAttempt(run, task, TaskState.Failed, output: null, problem, now);
            return;
        }

        var child = new ActiveChild(spec, slot.Attempts, childId, parameters);
        (run.Children ??= [])[task] = child;
        OnChildStart?.Invoke(run, task, child);
    }

    /// <summary>The child run ended, or could not start (under the lock): the attempt ends with it.</summary>
    public void ChildEnded(RunExecution run, int task, ActiveChild child, ChildResult result)
    {
        if (run.Children is not { } children || !children.TryGetValue(task, out var current) || !ReferenceEquals(current, child)
            || run.Slots[task].State != TaskState.Waiting)
        {
            return; // the attempt ended otherwise (its run was cancelled) or the run is no longer held here
        }

        children.Remove(task);
        var now = time.GetUtcNow();
        run.Slots[task].Worker = $"child run {child.RunId}";
        var final = result.State switch
        {
            RunState.Succeeded => TaskState.Succeeded,
            RunState.Cancelled => TaskState.Cancelled,
            _ => TaskState.Failed,
        };
        EndChildAttempt(run, task, final, result.Output, result.Error, now);
    }

    /// <summary>Ends the attempt; a failure the task's retry policy retries waits for a new attempt (and a
    /// new child run) instead of making the task final.</summary>
    private void EndChildAttempt(RunExecution run, int task, TaskState final, string? output, string? error, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[task];
        slot.WaitReason = null;
        if (final == TaskState.Failed && !run.CancelRequested)
        {
            var policy = run.TaskDef(task).Retry;
            if (RetryClassifier.ShouldRetry(policy, slot.Attempts, TaskOutcome.Failed(error ?? "the child run failed")))
            {
                slot.AttemptFinishedAt = now;
                slot.AttemptOutcome = TaskOutcomeStatus.Failed;
                slot.Output = output;
                slot.Error = error;
                JournalAttempt(run, task);
                ScheduleRetry(run, task, policy.DelayBefore(slot.Attempts, random.NextDouble()), now);
                return;
            }
        }

        SettleHeldAttempt(run, task, final, output, error, now);
    }

    /// <summary>Stops holding the task's child (its run is cancelled): the engine cancels the child run.
    /// Returns the child's run id, or null when the task held none.</summary>
    private string? DropChild(RunExecution run, int task)
    {
        if (run.Children is not { } children || !children.Remove(task, out var child))
        {
            return null;
        }

        child.Dropped = true;
        OnChildDropped?.Invoke(child);
        return child.RunId;
    }

    private static IReadOnlyDictionary<string, string>? RenderChildParams(RunExecution run, int task, ChildWorkflowSpec spec, out string? problem)
    {
        problem = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in spec.Params)
        {
            try
            {
                values[name] = Template.MayContainReferences(text) ? Template.Parse(text).Render(run.ValuesFor(task).Resolve) : text;
            }
            catch (TemplateResolutionException ex)
            {
                problem = $"parameter '{name}' of child workflow '{spec.Workflow}': {ex.Message}";
                return null;
            }
        }

        return values;
    }
}
