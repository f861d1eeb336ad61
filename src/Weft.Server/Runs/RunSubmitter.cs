using Weft.Definitions;
using Weft.Server.Monitoring;

namespace Weft.Server.Runs;

/// <summary>Submits runs for the API and the schedule runner, adding what the engine's submit does not
/// have: dedup keys shared by the API and the schedules (<see cref="DedupTable"/>). A not-before time
/// goes to the engine, which records it with the run: a delayed run is in the store from the start,
/// and a restarted server still starts it at its time.</summary>
internal sealed class RunSubmitter(WeftEngine engine, DedupTable dedup, RunTracer tracer, TimeProvider time)
{
    /// <summary>Throws <see cref="WorkflowValidationException"/> or <see cref="WeftConfigurationException"/>
    /// for bad input; nothing is started then.</summary>
    public async ValueTask<SubmitOutcome> SubmitAsync(SubmitCommand command, CancellationToken cancellationToken = default)
    {
        var runId = command.RunId ?? Guid.CreateVersion7().ToString("N");
        if (command.DedupKey is { } key && !dedup.TryReserve(key, runId, out var existing))
        {
            return new SubmitOutcome(existing, Deduplicated: true, null);
        }

        try
        {
            var options = new SubmitOptions
            {
                RunId = runId,
                Priority = command.Priority,
                NotBefore = command.NotBefore,
                WaitIfMemoryCritical = command.WaitIfMemoryCritical,
            };
            try
            {
                await engine.SubmitAsync(command.Definition, command.Params, options, cancellationToken).ConfigureAwait(false);
            }
            catch (WeftDuplicateRunException) when (command.RunId is not null)
            {
                // Someone else (another server on the same store) already started this exact run.
                return new SubmitOutcome(runId, Deduplicated: true, null);
            }

            tracer.Follow(runId);
            var delayed = command.NotBefore is { } notBefore && notBefore > time.GetUtcNow() ? notBefore : (DateTimeOffset?)null;
            return new SubmitOutcome(runId, Deduplicated: false, delayed);
        }
        catch
        {
            if (command.DedupKey is { } k)
            {
                dedup.Release(k, runId);
            }

            throw;
        }
    }
}
