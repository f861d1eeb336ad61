using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

/// <summary>A long-lived engine does not keep every run it has finished: after
/// <see cref="WeftOptions.KeepFinishedRuns"/> only the store has it.</summary>
public sealed class FinishedRunsTests
{
    [Fact]
    public async Task FinishedRun_IsForgottenAfterTheKeepTime_TheStoreAndItsHandleStillAnswer()
    {
        await using var h = new EngineHarness(2, o => o.KeepFinishedRuns = TimeSpan.FromMinutes(10));
        var old = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a")));
        Assert.Equal(RunState.Succeeded, (await old.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);

        h.Clock.Advance(TimeSpan.FromMinutes(9));
        var recent = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("b")));
        await recent.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.NotNull(h.Engine.GetRun(old.RunId)); // 9 minutes: still held

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        var latest = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("c")));
        await latest.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Null(h.Engine.GetRun(old.RunId)); // 11 minutes
        Assert.DoesNotContain(old.RunId, h.Engine.RunIds());
        Assert.NotNull(h.Engine.GetRun(recent.RunId)); // 2 minutes
        Assert.Equal(RunState.Succeeded, old.Snapshot().State); // the handle keeps the final picture
        var stored = await h.Engine.Store.GetRunAsync(old.RunId);
        Assert.Equal(RunState.Succeeded, stored!.State);
        Assert.Equal(RunState.Succeeded, (await (await h.Engine.RetryAsync(old.RunId)).WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task KeepFinishedRunsNull_KeepsEveryRun()
    {
        await using var h = new EngineHarness(2, o => o.KeepFinishedRuns = null);
        var old = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a")));
        await old.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        h.Clock.Advance(TimeSpan.FromMinutes(11)); // past the default keep time
        await (await h.Engine.SubmitAsync(EngineHarness.Flow(Def("b")))).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.NotNull(h.Engine.GetRun(old.RunId));
    }

    [Fact]
    public async Task ADuplicateWithinTheDedupWindow_GetsTheRunEvenWhenTheKeepTimeIsShorter()
    {
        await using var h = new EngineHarness(2, o =>
        {
            o.KeepFinishedRuns = TimeSpan.FromSeconds(1);
            o.DedupWindow = TimeSpan.FromMinutes(5);
        });
        var first = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a")), options: new SubmitOptions { DedupKey = "nightly" });
        await first.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await h.Engine.SubmitAsync(EngineHarness.Flow(Def("b")))).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        var again = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a")), options: new SubmitOptions { DedupKey = "nightly" });

        Assert.Equal(first.RunId, again.RunId);
        Assert.Equal(RunState.Succeeded, (await again.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public void KeepFinishedRuns_MustBePositive()
    {
        var ex = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o => o.KeepFinishedRuns = TimeSpan.Zero));
        Assert.Contains("KeepFinishedRuns must be positive or null", ex.Message);
    }
}
