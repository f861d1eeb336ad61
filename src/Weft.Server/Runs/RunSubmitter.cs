using Weft.Definitions;
using Weft.Server.Monitoring;

namespace Weft.Server.Runs;

/// <summary>Submits the API's runs through the engine, whose own dedup keys (<see cref="SubmitOptions.DedupKey"/>,
/// kept for <see cref="WeftOptions.DedupWindow"/>) tell a repeated submission: it gets the first run's id. A
/// not-before time goes to the engine, which records it with the run: a delayed run is in the store from
/// the start, and a restarted server still starts it at its time.</summary>
internal sealed class RunSubmitter(WeftEngine engine, RunTracer tracer, TimeProvider time)
{
    /// <summary>Throws <see cref="WorkflowValidationException"/> or <see cref="WeftConfigurationException"/>
    /// for bad input; nothing is started then.</summary>
    public async ValueTask<SubmitOutcome> SubmitAsync(SubmitCommand command, CancellationToken cancellationToken = default)
    {
        var runId = command.RunId ?? Guid.CreateVersion7().ToString("N");
        var options = new SubmitOptions
        {
            RunId = runId,
            Priority = command.Priority,
            NotBefore = command.NotBefore,
            DedupKey = command.DedupKey,
            WaitIfMemoryCritical = command.WaitIfMemoryCritical,
            TriggeredBy = command.TriggeredBy,
        };
        RunHandle handle;
        try
        {
            handle = await engine.SubmitAsync(command.Definition, command.Params, options, cancellationToken).ConfigureAwait(false);
        }
        catch (WeftDuplicateRunException) when (command.RunId is not null)
        {
            // Someone else (another server on the same store) already started this exact run.
            return new SubmitOutcome(runId, Deduplicated: true, null);
        }

        if (handle.RunId != runId)
        {
            // The engine found the dedup key pointing at an earlier run and returned that run.
            return new SubmitOutcome(handle.RunId, Deduplicated: true, null);
        }

        tracer.Follow(runId);
        var delayed = command.NotBefore is { } notBefore && notBefore > time.GetUtcNow() ? notBefore : (DateTimeOffset?)null;
        return new SubmitOutcome(runId, Deduplicated: false, delayed);
    }
}
