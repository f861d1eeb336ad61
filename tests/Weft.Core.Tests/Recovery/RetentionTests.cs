using Microsoft.Extensions.Time.Testing;
using Weft.Storage;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Recovery;

public sealed class RetentionTests
{
    [Fact]
    public async Task Engine_DurableStore_PurgesRunsOlderThanRetentionEveryHour()
    {
        var shared = new MemoryStore();
        var store = new CrashableStore(shared);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var engine = WeftEngine.Create(o =>
        {
            o.Store = store;
            o.TimeProvider = clock;
            o.Retention = TimeSpan.FromDays(30);
            o.Monitor.SampleEvery = null; // a 30-day advance would otherwise fire the 5 s sampler 500,000 times
            o.Handlers.Add(new ScriptedHandler());
        });
        var old = await (await engine.SubmitAsync(EngineHarness.Flow(Def("a")))).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        clock.Advance(TimeSpan.FromDays(29));
        var recent = await (await engine.SubmitAsync(EngineHarness.Flow(Def("a")))).WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.NotNull(await shared.GetRunAsync(old.RunId));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        await EngineHarness.WaitUntilAsync(async () => await shared.GetRunAsync(old.RunId) is null);

        Assert.NotNull(await shared.GetRunAsync(recent.RunId));
        Assert.Equal(1, engine.RunsPurged);
    }
}
