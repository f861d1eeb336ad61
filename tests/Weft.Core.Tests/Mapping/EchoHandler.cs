using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Tests.Mapping;

/// <summary>A test handler of kind "echo": succeeds with its text rendered (so item and index show in
/// the output), unless a behaviour is set for the attempt's task id (<c>convert[2]</c>). Tracks how
/// many attempts are inside it at once.</summary>
internal sealed class EchoHandler : ITaskHandler
{
    private readonly ConcurrentDictionary<string, Func<TaskInvocation, ValueTask<TaskOutcome>>> _behaviour = new();
    private readonly ConcurrentQueue<(string TaskId, int Attempt)> _started = new();
    private int _running;
    private int _maxRunning;

    public string Kind => "echo";

    public IReadOnlyList<(string TaskId, int Attempt)> Started => [.. _started];

    public int MaxConcurrent => Volatile.Read(ref _maxRunning);

    public int Running => Volatile.Read(ref _running);

    /// <summary>Held attempts wait for this before they render their text.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Hold { get; set; }

    public static TaskDefinition Def(string id, string text, params string[] dependsOn) =>
        new(id, new CustomSpec("echo", JsonValue.Create(text))) { DependsOn = dependsOn };

    public void On(string taskId, Func<TaskInvocation, ValueTask<TaskOutcome>> behaviour) => _behaviour[taskId] = behaviour;

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        _started.Enqueue((invocation.TaskId, invocation.Attempt));
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }

        try
        {
            if (Hold)
            {
                await Gate.Task.WaitAsync(invocation.CancellationToken);
            }

            if (_behaviour.TryGetValue(invocation.TaskId, out var behaviour))
            {
                return await behaviour(invocation);
            }

            var text = ((CustomSpec)invocation.Spec).Value!.GetValue<string>();
            return TaskOutcome.Succeeded(invocation.Render(text));
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
