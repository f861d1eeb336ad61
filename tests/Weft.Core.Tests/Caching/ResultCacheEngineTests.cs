using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Caching;

/// <summary>Tasks with <c>cache:</c> through the engine: a hit finishes the task as cached with the
/// stored output and never calls the handler; anything that changes the work misses.</summary>
public sealed class ResultCacheEngineTests
{
    private static readonly ParamDefinition X = new("x") { Default = "1" };

    /// <summary>A script task whose spec holds <paramref name="text"/> (templates rendered into the key).</summary>
    private static TaskDefinition Cached(string id, string text = "work", CachePolicy? policy = null, params string[] dependsOn) =>
        new(id, new CustomSpec("script", JsonValue.Create(text))) { Cache = policy ?? CachePolicy.Default, DependsOn = dependsOn };

    private static WorkflowDefinition Flow(params TaskDefinition[] tasks) => new("test", tasks) { Params = [X] };

    private static Dictionary<string, string> P(string x) => new() { ["x"] = x };

    private static int Starts(EngineHarness h, string task) => h.Script.StartOrder.Count(t => t == task);

    /// <summary>Each call of <paramref name="task"/> outputs "out-N" (N counting calls).</summary>
    private static void Counting(EngineHarness h, string task)
    {
        var calls = 0;
        h.Script.On(task, _ => new(TaskOutcome.Succeeded($"out-{Interlocked.Increment(ref calls)}")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task SecondRun_SameWork_FinishesCachedWithTheStoredOutputWithoutRunning(int workers)
    {
        await using var h = new EngineHarness(workers);
        Counting(h, "a");
        var flow = Flow(Cached("a"), ScriptedHandler.Def("b", "a"));

        var first = await h.RunAsync(flow);
        var second = await h.RunAsync(flow);

        Assert.Equal(TaskState.Succeeded, first.Tasks[0].State);
        Assert.Equal(TaskState.Cached, second.Tasks[0].State);
        Assert.Equal("out-1", second.Tasks[0].Output);
        Assert.Equal(RunState.Succeeded, second.State);
        Assert.Equal(TaskState.Succeeded, second.Tasks[1].State); // a cached parent counts as success
        Assert.Equal(1, Starts(h, "a"));
        Assert.Equal(2, Starts(h, "b"));
    }

    [Fact]
    public async Task DifferentParamInTheSpec_Misses_SameParamHitsAgain()
    {
        await using var h = new EngineHarness(2);
        Counting(h, "a");
        var flow = Flow(Cached("a", "echo {{ params.x }}"));

        await h.RunAsync(flow, P("1"));
        var other = await h.RunAsync(flow, P("2"));
        var again = await h.RunAsync(flow, P("1"));

        Assert.Equal(TaskState.Succeeded, other.Tasks[0].State);
        Assert.Equal("out-2", other.Tasks[0].Output);
        Assert.Equal(TaskState.Cached, again.Tasks[0].State);
        Assert.Equal("out-1", again.Tasks[0].Output);
        Assert.Equal(2, Starts(h, "a"));
    }

    [Fact]
    public async Task ParamNotInTheSpec_DoesNotMatter()
    {
        await using var h = new EngineHarness(2);
        Counting(h, "a");
        var flow = Flow(Cached("a", "no templates"));

        await h.RunAsync(flow, P("1"));
        var second = await h.RunAsync(flow, P("2"));

        Assert.Equal(TaskState.Cached, second.Tasks[0].State);
    }

    [Fact]
    public async Task UpstreamOutputChange_Misses()
    {
        await using var h = new EngineHarness(2);
        var upstream = "v1";
        h.Script.On("up", _ => new(TaskOutcome.Succeeded(Volatile.Read(ref upstream))));
        Counting(h, "a");
        var flow = Flow(ScriptedHandler.Def("up"), Cached("a", dependsOn: "up"));

        await h.RunAsync(flow);
        var same = await h.RunAsync(flow);
        Volatile.Write(ref upstream, "v2");
        var changed = await h.RunAsync(flow);

        Assert.Equal(TaskState.Cached, same.Tasks[1].State);
        Assert.Equal(TaskState.Succeeded, changed.Tasks[1].State);
        Assert.Equal("out-2", changed.Tasks[1].Output);
    }

    [Fact]
    public async Task TtlOver_OnTheEngineClock_Misses()
    {
        await using var h = new EngineHarness(2);
        Counting(h, "a");
        var flow = Flow(Cached("a", policy: new CachePolicy(TimeSpan.FromMinutes(10))));

        await h.RunAsync(flow);
        h.Clock.Advance(TimeSpan.FromMinutes(9));
        var within = await h.RunAsync(flow);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var after = await h.RunAsync(flow);

        Assert.Equal(TaskState.Cached, within.Tasks[0].State);
        Assert.Equal(TaskState.Succeeded, after.Tasks[0].State);
        Assert.Equal(1, h.Engine.GetCacheStats().Expirations);
    }

    [Fact]
    public async Task DefaultTtl_ComesFromTheOptions()
    {
        await using var h = new EngineHarness(2, o => o.Cache.DefaultTtl = TimeSpan.FromSeconds(30));
        Counting(h, "a");
        var flow = Flow(Cached("a"));

        await h.RunAsync(flow);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        var after = await h.RunAsync(flow);

        Assert.Equal(TaskState.Succeeded, after.Tasks[0].State);
    }

    [Fact]
    public async Task ExplicitKey_HitsAcrossDifferentSpecs_AndRendersItsTemplates()
    {
        await using var h = new EngineHarness(2);
        Counting(h, "a");
        var key = new CachePolicy(Key: "orders-{{ params.x }}");

        await h.RunAsync(Flow(Cached("a", "version one", key)), P("d1"));
        var otherSpec = await h.RunAsync(Flow(Cached("a", "version two", key)), P("d1"));
        var otherKey = await h.RunAsync(Flow(Cached("a", "version two", key)), P("d2"));

        Assert.Equal(TaskState.Cached, otherSpec.Tasks[0].State);
        Assert.Equal("out-1", otherSpec.Tasks[0].Output);
        Assert.Equal(TaskState.Succeeded, otherKey.Tasks[0].State);
    }

    [Fact]
    public async Task FailedAttempt_IsNotCached()
    {
        await using var h = new EngineHarness(2);
        var calls = 0;
        h.Script.On("a", _ => new(Interlocked.Increment(ref calls) == 1 ? TaskOutcome.Failed("boom") : TaskOutcome.Succeeded("ok")));
        var flow = Flow(Cached("a"));

        var failed = await h.RunAsync(flow);
        var second = await h.RunAsync(flow);

        Assert.Equal(TaskState.Failed, failed.Tasks[0].State);
        Assert.Equal(TaskState.Succeeded, second.Tasks[0].State);
        Assert.Equal(2, Starts(h, "a"));
    }

    [Fact]
    public async Task Stats_ReportHitsMissesHitRateEvictionsEntriesAndBytes()
    {
        await using var h = new EngineHarness(1, o => o.Cache.MaxEntries = 1);
        Counting(h, "a");
        Counting(h, "b");
        var flow = Flow(Cached("a"), Cached("b", dependsOn: "a"));

        await h.RunAsync(flow); // a and b miss; storing b evicts a
        var second = await h.RunAsync(flow); // a misses and evicts b; b misses (a's output changed) and evicts a

        var stats = h.Engine.GetCacheStats();
        Assert.Equal(TaskState.Succeeded, second.Tasks[0].State);
        Assert.Equal(0, stats.Hits);
        Assert.Equal(4, stats.Misses);
        Assert.Equal(3, stats.Evictions);
        Assert.Equal(1, stats.Entries);
        Assert.Equal("out-2".Length, stats.Bytes);
        Assert.Equal(0d, h.Engine.GetStatus().CacheHitRate);
    }

    [Fact]
    public async Task Status_HitRate_IsHitsOverLookups_AndNullBeforeAny()
    {
        await using var h = new EngineHarness(2);
        Counting(h, "a");
        Assert.Null(h.Engine.GetStatus().CacheHitRate);

        await h.RunAsync(Flow(Cached("a"), ScriptedHandler.Def("plain")));
        await h.RunAsync(Flow(Cached("a"), ScriptedHandler.Def("plain")));
        await h.RunAsync(Flow(Cached("a"), ScriptedHandler.Def("plain")));

        var stats = h.Engine.GetCacheStats();
        Assert.Equal((2, 1), (stats.Hits, stats.Misses)); // a task without cache: is never looked up
        Assert.Equal(2d / 3, h.Engine.GetStatus().CacheHitRate);
        Assert.Equal(0, stats.StoreHits);
    }

    [Fact]
    public async Task FailingStore_CountsErrors_AndTheCacheWorksFromMemory()
    {
        var store = new FailingCacheStore(new Weft.Storage.MemoryStore());
        var h = new EngineHarness(2, o => o.Store = store);
        Counting(h, "a");
        var flow = Flow(Cached("a"));

        var first = await h.RunAsync(flow);
        var second = await h.RunAsync(flow);
        await h.DisposeAsync(); // waits for the background write

        var stats = h.Engine.GetCacheStats();
        Assert.Equal(TaskState.Succeeded, first.Tasks[0].State);
        Assert.Equal(TaskState.Cached, second.Tasks[0].State);
        Assert.True(stats.StoreErrors >= 2, $"store errors: {stats.StoreErrors}"); // the first read, the write (and the start-up purge)
    }
}
