using Microsoft.Extensions.Time.Testing;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ClusterScheduling;

/// <summary><c>weft_worker_crashes</c> counts workers that died, not the tasks they held.</summary>
public sealed class WorkerCrashCountTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-01T00:00:00Z"));

    [Fact]
    public async Task A_worker_that_dies_holding_six_tasks_is_one_crash_even_across_lease_sweeps()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store);
        await store.RegisterWorkerAsync(new WorkerInfo { Name = "dying", Slots = 6 });
        var dying = new ManualWorker(store, "dying");
        var handle = await engine.SubmitAsync(Flat(6));

        // Three tasks found lost in one sweep, three in the next: one death all the same.
        await dying.ClaimAsync(3, lease: TimeSpan.FromSeconds(10));
        await store.HeartbeatAsync("dying", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(5));
        await dying.ClaimAsync(3, lease: TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(6));
        // The sweep may re-arm its timer just after the clock moved: advance until it has run (should that
        // take past the second lease, both halves come back in one sweep: still one death).
        await WaitAdvancingAsync(async () => (await store.ListQueuedAsync(handle.RunId)).Count(r => r.Attempt == 2) >= 3);
        _time.Advance(TimeSpan.FromSeconds(5));
        await WaitAdvancingAsync(async () => (await store.ListQueuedAsync(handle.RunId)).Count(r => r.Attempt == 2) == 6);

        await EngineHarness.WaitUntilAsync(() => engine.WorkerCrashes >= 1);
        Assert.Equal(1, engine.WorkerCrashes);
    }

    [Fact]
    public async Task Two_workers_dying_and_one_coming_back_to_die_again_are_three_crashes()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store);
        var handle = await engine.SubmitAsync(Flat(6));
        var lives = new[] { "a", "b", "a" };
        for (var i = 0; i < lives.Length; i++)
        {
            var name = lives[i];
            var requeued = 2 * (i + 1);
            await store.RegisterWorkerAsync(new WorkerInfo { Name = name, Slots = 2 });
            await new ManualWorker(store, name).ClaimAsync(2, lease: TimeSpan.Zero);
            await store.HeartbeatAsync(name, TimeSpan.FromSeconds(1));
            _time.Advance(TimeSpan.FromSeconds(3));
            // Each death hands back the two first attempts it held as second attempts.
            await WaitAdvancingAsync(async () => (await store.ListQueuedAsync(handle.RunId)).Count(r => r.Attempt == 2) == requeued);
        }

        await EngineHarness.WaitUntilAsync(() => engine.WorkerCrashes >= 3);
        Assert.Equal(3, engine.WorkerCrashes);
    }

    /// <summary>Waits for a condition that needs the lost-task sweep to run again. The sweep re-arms its
    /// timer after the rows of its previous pass are visible, so time moved once may have moved before
    /// the timer was set; a second of fake time per poll lets the next sweep come (leases and the
    /// worker's death are already past, so more time changes nothing else).</summary>
    private Task WaitAdvancingAsync(Func<Task<bool>> condition) => EngineHarness.WaitUntilAsync(async () =>
    {
        if (await condition())
        {
            return true;
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        return false;
    });

    private static WorkflowDefinition Flat(int n)
    {
        var builder = new WorkflowBuilder("flat");
        for (var i = 0; i < n; i++)
        {
            builder.Task($"t{i}", t => t.Noop());
        }

        return builder.Build();
    }

    private WeftEngine Scheduler(IClusterStore store) => ClusterSchedulers.Create(store, o =>
    {
        o.TimeProvider = _time;
        o.Monitor.SampleEvery = null;
    });
}
