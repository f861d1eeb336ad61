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

    /// <summary>The run's id.</summary>
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

    /// <summary>The run's events from now until it finishes (see <see cref="WeftEngine.WatchAsync"/>).</summary>
    public IAsyncEnumerable<RunEvent> WatchAsync(CancellationToken cancellationToken = default) => Engine.WatchAsync(RunId, cancellationToken);

    /// <summary>Cancels the run; false when it was already final or is unknown.</summary>
    public ValueTask<bool> CancelAsync() => Engine.CancelAsync(RunId);
}
