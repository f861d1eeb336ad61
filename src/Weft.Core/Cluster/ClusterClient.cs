using Weft.Definitions;
using Weft.Storage;

namespace Weft.Cluster;

/// <summary>Submits runs to a cluster and follows them, from any process, without leading it: a run is
/// recorded in the store (which wakes the scheduler) and its progress read back from the store.
/// What <c>weft run --store postgres://…</c> does.</summary>
public sealed class ClusterClient(IClusterStore store, TimeProvider? timeProvider = null)
{
    // How long WaitAsync rides out a store it cannot read (a database restart) before it gives up.
    private static readonly TimeSpan MaxOutage = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Validates the definition and the parameters, records the run (durably: when this
    /// returns the cluster has it) and returns its id. Throws <see cref="WorkflowValidationException"/>
    /// or <see cref="WeftConfigurationException"/> for bad input, before anything is stored.</summary>
    public async ValueTask<string> SubmitAsync(
        WorkflowDefinition definition, IReadOnlyDictionary<string, string>? parameters = null, SubmitOptions? options = null,
        IReadOnlyCollection<string>? kinds = null, CancellationToken cancellationToken = default)
    {
        var errors = WorkflowValidator.Validate(definition, kinds);
        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(errors);
        }

        var values = WeftEngine.ResolveParameters(definition, parameters);
        SubmitOptions.ThrowIfInvalid(options, _time.GetUtcNow());
        var runId = options?.RunId ?? WeftEngine.NewRunId();
        try
        {
            await store.CreateRunAsync(new RunRecord(runId, definition, values, _time.GetUtcNow())
            {
                Priority = options?.Priority,
                NotBefore = options?.NotBefore, // the scheduler that takes the run up waits for it
                Deadline = options?.Deadline,
                TriggeredBy = options?.TriggeredBy,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("already exists", StringComparison.Ordinal))
        {
            throw new WeftDuplicateRunException(runId, ex);
        }

        return runId;
    }

    /// <summary>Reads the run until it is final, calling <paramref name="progress"/> with each picture
    /// read (woken by the scheduler's "run finished" signal, and re-reading every <paramref name="every"/>,
    /// default 1 s, to show progress). Throws <see cref="KeyNotFoundException"/> for an unknown run. A store
    /// that cannot be read (a database restarting) is read again, backing off, for up to 2 minutes.</summary>
    public async Task<RunSnapshot> WaitAsync(string runId, Action<RunSnapshot>? progress = null, TimeSpan? every = null, CancellationToken cancellationToken = default)
    {
        var pause = every ?? TimeSpan.FromSeconds(1);
        var retry = new StoreRetry("following the run", _time, log: null);
        DateTimeOffset? outageSince = null;
        while (true)
        {
            RunSnapshot? read;
            try
            {
                read = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
                if (read is not null && !read.State.IsFinal() && progress is not null)
                {
                    // What the progress shows: a task no worker has claimed yet is queued, not running.
                    read = await QueuedTaskStates.ApplyAsync(store, read, cancellationToken).ConfigureAwait(false);
                }

                retry.Succeeded();
                outageSince = null;
            }
            catch (WeftStoreException ex) when ((_time.GetUtcNow() - (outageSince ??= _time.GetUtcNow())) < MaxOutage)
            {
                // The database restarting must not end the follower while the run goes on in the cluster.
                await retry.FailedAsync(ex, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var snapshot = read ?? throw new KeyNotFoundException($"no run with id '{runId}' in the store");

            progress?.Invoke(snapshot);
            if (snapshot.State.IsFinal())
            {
                return snapshot;
            }

            await store.WaitForSignalAsync(ClusterSignal.RunFinished, pause, cancellationToken).ConfigureAwait(false);
        }
    }
}
