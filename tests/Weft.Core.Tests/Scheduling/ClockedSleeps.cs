using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Tests.Scheduling;

/// <summary>Replaces the built-in <c>sleep</c> handler with one that also tracks when each waiting
/// task is due, so a test can play a run as a discrete-event simulation on the fake clock: wait until
/// every busy slot is parked on the clock (and no slot is idle while work is ready), then jump the
/// clock to the next due time. The makespan on the fake clock is then exact and repeatable.</summary>
internal sealed class ClockedSleeps(FakeTimeProvider clock) : ITaskHandler
{
    private readonly Lock _gate = new();
    private readonly List<DateTimeOffset> _due = [];

    public string Kind => "sleep";

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        var duration = ((SleepSpec)invocation.Spec).Duration;
        var due = clock.GetUtcNow() + duration;
        var delay = Task.Delay(duration, clock, invocation.CancellationToken);
        lock (_gate)
        {
            _due.Add(due);
        }

        try
        {
            await delay;
        }
        finally
        {
            lock (_gate)
            {
                _due.Remove(due);
            }
        }

        return TaskOutcome.Success;
    }

    /// <summary>Plays the run to its end; returns its snapshot. Never sleeps: it yields while slots settle.</summary>
    public async Task<RunSnapshot> PlayAsync(WeftEngine engine, RunHandle handle)
    {
        var finished = handle.WaitAsync();
        var limit = Stopwatch.StartNew();
        while (!finished.IsCompleted)
        {
            if (limit.Elapsed > EngineHarness.HardLimit)
            {
                throw new TimeoutException("the run did not settle on the fake clock");
            }

            var next = Settled(engine);
            if (next is { } due)
            {
                clock.Advance(due - clock.GetUtcNow());
            }
            else
            {
                await Task.Yield();
            }
        }

        return await finished;
    }

    // The next due time once every busy slot waits on the clock for a time still ahead, and no slot
    // is idle while work is queued; null while anything is still moving.
    private DateTimeOffset? Settled(WeftEngine engine)
    {
        var status = engine.GetStatus();
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var parked = _due.Count == status.SlotsBusy && _due.TrueForAll(d => d > now);
            var busy = status.QueuedTotal == 0 || status.SlotsIdle == 0;
            return parked && busy && _due.Count > 0 ? _due.Min() : null;
        }
    }
}
