using Weft.Definitions;
using Weft.Handlers;

namespace Weft;

/// <summary>The embeddable engine: submit workflows, wait for them, watch, query and cancel.</summary>
public sealed partial class WeftEngine : IAsyncDisposable
{
    /// <summary>Creates and starts an engine. Throws <see cref="WeftConfigurationException"/> with every
    /// option error at once.</summary>
    public static WeftEngine Create(Action<WeftOptions>? configure = null) => throw new NotImplementedException();

    /// <summary>Functions that <c>function:</c> tasks call.</summary>
    public FunctionRegistry Functions => throw new NotImplementedException();

    /// <summary>Validates and submits a run. Returns once the run is recorded. Throws
    /// <see cref="WorkflowValidationException"/> for an invalid definition and
    /// <see cref="WeftConfigurationException"/> for bad parameters or unknown functions; nothing is recorded then.</summary>
    public ValueTask<RunHandle> SubmitAsync(
        WorkflowDefinition definition,
        IReadOnlyDictionary<string, string>? parameters = null,
        SubmitOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>The run's current picture, or null when the engine does not know it.</summary>
    public RunSnapshot? GetRun(string runId) => throw new NotImplementedException();

    /// <summary>Events of one run as they happen, starting with everything already past; ends after RunFinished.</summary>
    public IAsyncEnumerable<RunEvent> WatchAsync(string runId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Cancels a run: running tasks are cancelled, pending ones marked cancelled. False when unknown or already final.</summary>
    public ValueTask<bool> CancelAsync(string runId) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
