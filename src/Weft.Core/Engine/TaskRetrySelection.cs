using Weft.Planning;
using Weft.Scheduling;

namespace Weft;

/// <summary>Which tasks a retry of chosen tasks runs again: each chosen task (it must have failed,
/// timed out, been cancelled or failed upstream) and every task downstream of one that did not
/// succeed. Everything else keeps what it had in the earlier run.</summary>
internal sealed class TaskRetrySelection
{
    private readonly bool[] _rerun;

    private TaskRetrySelection(bool[] rerun) => _rerun = rerun;

    /// <summary>True when task <paramref name="index"/> of the plan starts afresh.</summary>
    public bool Reruns(int index) => _rerun[index];

    /// <summary>Checks the choice against the finished run and works out the tasks to run again;
    /// throws <see cref="WeftTaskRetryException"/> naming the first task (or the run) refused.</summary>
    public static TaskRetrySelection Resolve(string runId, RunSnapshot run, ExecutionPlan plan, IReadOnlyCollection<string> taskIds)
    {
        if (taskIds.Count == 0)
        {
            throw new ArgumentException("name at least one task to retry (or retry the whole run)", nameof(taskIds));
        }

        if (!run.State.IsFinal())
        {
            throw new WeftTaskRetryException(runId, null, null,
                $"run '{runId}' is {run.State.ToName()}; a task can be retried only once its run has finished");
        }

        var states = new Dictionary<string, TaskState>(StringComparer.Ordinal);
        foreach (var task in run.Tasks)
        {
            states[task.TaskId] = task.State;
        }

        var rerun = new bool[plan.Count];
        var pending = new Stack<int>();
        foreach (var taskId in taskIds)
        {
            if (!plan.IndexOf.TryGetValue(taskId, out var index) || !states.TryGetValue(taskId, out var state))
            {
                throw new WeftTaskRetryException(runId, taskId, null,
                    $"run '{runId}' has no task '{taskId}' (its tasks: {Sample(plan)})");
            }

            if (state is not (TaskState.Failed or TaskState.TimedOut or TaskState.UpstreamFailed or TaskState.Cancelled))
            {
                throw new WeftTaskRetryException(runId, taskId, state,
                    $"task '{taskId}' of run '{runId}' is {state.ToName()}; only a failed, timed-out, upstream-failed or cancelled task can be retried");
            }

            rerun[index] = true;
            pending.Push(index);
        }

        // Downstream of a task that runs again, whatever did not succeed runs again too. The walk stops
        // at a task that succeeded (an all_done child, say): it keeps its output, and what lies below it
        // runs again only when another path from a chosen task reaches it.
        while (pending.Count > 0)
        {
            foreach (var child in plan.ChildrenOf(pending.Pop()))
            {
                if (!rerun[child] && !Succeeded(states, plan.Tasks[child].Id))
                {
                    rerun[child] = true;
                    pending.Push(child);
                }
            }
        }

        return new TaskRetrySelection(rerun);
    }

    /// <summary>A task that neither runs again nor succeeded keeps its final state and says where it
    /// comes from; its attempts stay with the earlier run.</summary>
    public static void Keep(ref TaskSlot slot, TaskSnapshot task, string runId, DateTimeOffset now)
    {
        slot.State = task.State;
        slot.Error = $"{task.State.ToName()} in run {runId}, not retried{(task.Error is { } error ? ": " + error : "")}";
        slot.StartedAt = now;
        slot.FinishedAt = now;
    }

    /// <summary>What the new run's <c>triggeredBy</c> adds after <c>retry of RUN</c>: the chosen tasks.</summary>
    public static string Describe(IReadOnlyCollection<string>? taskIds) => taskIds switch
    {
        null => "",
        { Count: 1 } => $" (task {taskIds.First()})",
        _ => $" (tasks {string.Join(", ", taskIds)})",
    };

    private static bool Succeeded(Dictionary<string, TaskState> states, string taskId) =>
        states.TryGetValue(taskId, out var state) && state is TaskState.Succeeded or TaskState.Cached;

    private static string Sample(ExecutionPlan plan)
    {
        const int Shown = 10;
        var names = plan.Tasks.Take(Shown).Select(t => t.Id);
        return string.Join(", ", names) + (plan.Count > Shown ? $", … {plan.Count - Shown} more" : "");
    }
}
