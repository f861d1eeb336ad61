using Weft.Coordination;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Weft.Scheduling;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>The run's current picture, or null when the engine does not know it.</summary>
    public RunSnapshot? GetRun(string runId)
    {
        lock (_coord.Gate)
        {
            return _coord.Runs.TryGetValue(runId, out var run) ? run.Snapshot() : null;
        }
    }

    /// <summary>Ids of the runs this engine knows, oldest first.</summary>
    public IReadOnlyList<string> RunIds()
    {
        lock (_coord.Gate)
        {
            return [.. _coord.Runs.Keys];
        }
    }

    /// <summary>Events of one run as they happen, starting with a replay of everything already past
    /// (in definition order); ends after RunFinished, which comes once the run's end is recorded (durable
    /// store). Throws <see cref="KeyNotFoundException"/> for an unknown run, and the store's
    /// <see cref="Storage.WeftStoreException"/> when the store failed before the run's end was recorded.</summary>
    public async IAsyncEnumerable<RunEvent> WatchAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
        RunExecution run;
        lock (_coord.Gate)
        {
            if (!_coord.Runs.TryGetValue(runId, out run!))
            {
                throw new KeyNotFoundException($"no run with id '{runId}'");
            }

            foreach (var e in EventReplay.Of(run))
            {
                channel.Writer.TryWrite(e);
            }

            if (run.Reported || run.Completion.Task.IsFaulted)
            {
                channel.Writer.TryComplete(run.Completion.Task.Exception?.InnerException);
            }
            else
            {
                (run.Watchers ??= []).Add(channel.Writer);
            }
        }

        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_coord.Gate)
            {
                if (run.Watchers is { } watchers && watchers.Remove(channel.Writer) && watchers.Count == 0)
                {
                    run.Watchers = null;
                }
            }
        }
    }

    /// <summary>Cancels a run: running tasks are cancelled (their tokens fire, shell process trees are
    /// killed), waiting ones marked cancelled. False when the run is unknown or already final.</summary>
    public async ValueTask<bool> CancelAsync(string runId)
    {
        RunExecution? run;
        bool cancelled;
        FollowUp follow;
        lock (_coord.Gate)
        {
            cancelled = _coord.Runs.TryGetValue(runId, out run) && _coord.Scheduler.Cancel(run);
            follow = _coord.TakeFollowUp();
        }

        _coord.Apply(follow);

        if (cancelled)
        {
            try
            {
                await run!.Cancellation.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The run finished (and released its token source) while we were cancelling it.
            }
        }

        return cancelled;
    }
}
