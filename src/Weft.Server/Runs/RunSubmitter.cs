using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Definitions;
using Weft.Server.Monitoring;

namespace Weft.Server.Runs;

/// <summary>Submits runs for the API and the schedule runner, adding what the engine's submit does not
/// have yet: dedup keys (<see cref="DedupTable"/>) and not-before times (a delay on the server's
/// <see cref="TimeProvider"/>). Both move into the engine's SubmitOptions later.</summary>
internal sealed partial class RunSubmitter(
    WeftEngine engine,
    DedupTable dedup,
    RunTracer tracer,
    TimeProvider time,
    ILogger<RunSubmitter> logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, DelayedRun> _delayed = new(StringComparer.Ordinal);

    /// <summary>A delayed submission by run id, while it waits (or when it failed).</summary>
    public DelayedRun? Delayed(string runId) => _delayed.GetValueOrDefault(runId);

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
            if (command.NotBefore is { } notBefore && notBefore > time.GetUtcNow())
            {
                CheckParams(command.Definition, command.Params);
                var delayed = new DelayedRun(runId, command.Definition.Name, notBefore);
                _delayed[runId] = delayed;
                _ = Task.Run(() => SubmitLaterAsync(command, delayed));
                return new SubmitOutcome(runId, Deduplicated: false, notBefore);
            }

            try
            {
                await StartAsync(command, runId, cancellationToken).ConfigureAwait(false);
            }
            catch (WeftDuplicateRunException) when (command.RunId is not null)
            {
                // Someone else (another server on the same store) already started this exact run.
                return new SubmitOutcome(runId, Deduplicated: true, null);
            }

            return new SubmitOutcome(runId, Deduplicated: false, null);
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

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task StartAsync(SubmitCommand command, string runId, CancellationToken cancellationToken)
    {
        var options = new SubmitOptions { RunId = runId, Priority = command.Priority };
        await engine.SubmitAsync(command.Definition, command.Params, options, cancellationToken).ConfigureAwait(false);
        tracer.Follow(runId);
    }

    private async Task SubmitLaterAsync(SubmitCommand command, DelayedRun delayed)
    {
        try
        {
            var wait = delayed.NotBefore - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, _stopping.Token).ConfigureAwait(false);
            }

            await StartAsync(command, delayed.RunId, _stopping.Token).ConfigureAwait(false);
            _delayed.TryRemove(delayed.RunId, out _);
        }
        catch (OperationCanceledException)
        {
            // The server is stopping; a delayed submission is not durable (said in the API docs).
        }
        catch (Exception ex) when (ex is WeftConfigurationException or WorkflowValidationException or ObjectDisposedException)
        {
            delayed.Error = ex.Message;
            LogDelayedFailed(logger, delayed.RunId, ex.Message);
        }
    }

    // The engine checks parameters at submit; a delayed submission checks them now so the caller hears.
    private static void CheckParams(WorkflowDefinition definition, IReadOnlyDictionary<string, string>? supplied)
    {
        var declared = definition.Params.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var errors = (supplied?.Keys ?? []).Where(n => !declared.Contains(n)).Select(n => $"unknown parameter '{n}'")
            .Concat(definition.Params.Where(p => p.Required && p.Default is null && supplied?.ContainsKey(p.Name) != true)
                .Select(p => $"missing required parameter '{p.Name}'"))
            .ToList();
        if (errors.Count > 0)
        {
            throw new WeftConfigurationException(errors);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delayed run {RunId} could not start: {Error}")]
    private static partial void LogDelayedFailed(ILogger logger, string runId, string error);
}
