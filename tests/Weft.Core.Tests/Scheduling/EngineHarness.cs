using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;

namespace Weft.Tests.Scheduling;

/// <summary>An engine over a fake clock with a <see cref="ScriptedHandler"/>, plus helpers that wait
/// on the engine's own events (never on time) with a hard limit so a deadlock fails the test.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(20);

    public EngineHarness(int workers, Action<WeftOptions>? configure = null)
    {
        Engine = WeftEngine.Create(o =>
        {
            o.Workers = workers;
            o.TimeProvider = Clock;
            o.RandomSeed = 7;
            o.Handlers.Add(Script);
            configure?.Invoke(o);
        });
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ScriptedHandler Script { get; } = new();

    public WeftEngine Engine { get; }

    public static WorkflowDefinition Flow(params TaskDefinition[] tasks) => new("test", tasks);

    public async Task<RunSnapshot> RunAsync(WorkflowDefinition definition, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var handle = await Engine.SubmitAsync(definition, parameters);
        return await handle.WaitAsync().WaitAsync(HardLimit);
    }

    /// <summary>Waits until the run emits an event matching <paramref name="match"/>.</summary>
    public async Task<RunEvent> WaitForEventAsync(string runId, Func<RunEvent, bool> match)
    {
        using var cts = new CancellationTokenSource(HardLimit);
        await foreach (var e in Engine.WatchAsync(runId, cts.Token))
        {
            if (match(e))
            {
                return e;
            }
        }

        throw new InvalidOperationException("the run finished without the awaited event");
    }

    /// <summary>Waits for a condition the engine brings about on other threads (no clock involved),
    /// failing after <see cref="HardLimit"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(HardLimit);
        while (!await condition())
        {
            await Task.Yield();
            limit.Token.ThrowIfCancellationRequested();
        }
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
