namespace Weft;

/// <summary>A submitted run.</summary>
public sealed class RunHandle
{
    internal RunHandle(WeftEngine engine, string runId, Task<RunSnapshot> completion)
    {
        Engine = engine;
        RunId = runId;
        Completion = completion;
    }

    public string RunId { get; }

    internal WeftEngine Engine { get; }

    internal Task<RunSnapshot> Completion { get; }

    /// <summary>Completes with the final picture when the run ends (succeeded, failed, cancelled or timed out).</summary>
    public Task<RunSnapshot> WaitAsync(CancellationToken cancellationToken = default) => Completion.WaitAsync(cancellationToken);

    /// <summary>The current picture. A run the engine no longer holds in memory
    /// (<see cref="WeftOptions.KeepFinishedRuns"/>) is finished: its final picture.</summary>
    public RunSnapshot Snapshot() =>
        Engine.GetRun(RunId)
        ?? (Completion.IsCompletedSuccessfully
            ? Completion.Result
            : throw new InvalidOperationException($"run '{RunId}' is no longer held by the engine; read it from the store"));

    public IAsyncEnumerable<RunEvent> WatchAsync(CancellationToken cancellationToken = default) => Engine.WatchAsync(RunId, cancellationToken);

    public ValueTask<bool> CancelAsync() => Engine.CancelAsync(RunId);
}
