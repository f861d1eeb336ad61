using System.Collections.Concurrent;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Tests.Scheduling;

/// <summary>A test handler of kind "script": each task's attempts follow a script of steps, and a
/// step may hold the task until the test releases it or its token fires.</summary>
internal sealed class ScriptedHandler : ITaskHandler
{
    private readonly ConcurrentDictionary<string, Func<TaskInvocation, ValueTask<TaskOutcome>>> _behaviour = new();
    private readonly ConcurrentQueue<string> _started = new();
    private int _running;
    private int _maxRunning;

    public string Kind => "script";

    public IReadOnlyList<string> StartOrder => [.. _started];

    public int MaxConcurrent => Volatile.Read(ref _maxRunning);

    /// <summary>Attempts inside the handler right now (a snapshot may call a task running a moment before its handler is entered).</summary>
    public int Running => Volatile.Read(ref _running);

    public static TaskDefinition Def(string id, params string[] dependsOn) =>
        new(id, new CustomSpec("script", null)) { DependsOn = dependsOn };

    /// <summary>Attempt k (1-based) of <paramref name="taskId"/> returns <paramref name="outcomes"/>[k-1] (the last repeats).</summary>
    public void Outcomes(string taskId, params TaskOutcome[] outcomes) =>
        _behaviour[taskId] = inv => new(outcomes[Math.Min(inv.Attempt, outcomes.Length) - 1]);

    public void On(string taskId, Func<TaskInvocation, ValueTask<TaskOutcome>> behaviour) => _behaviour[taskId] = behaviour;

    /// <summary>The task waits until its token fires (timeout or cancel), then reports cancelled.</summary>
    public void BlockUntilCancelled(string taskId) => _behaviour[taskId] = async inv =>
    {
        await System.Threading.Tasks.Task.Delay(Timeout.Infinite, inv.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        return TaskOutcome.Cancelled();
    };

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        _started.Enqueue(invocation.TaskId);
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }

        try
        {
            return _behaviour.TryGetValue(invocation.TaskId, out var b) ? await b(invocation) : TaskOutcome.Succeeded(invocation.TaskId);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
