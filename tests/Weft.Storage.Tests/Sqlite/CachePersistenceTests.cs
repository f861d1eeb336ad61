using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;
using Weft.Execution;
using Weft.Sqlite;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Sqlite;

/// <summary>The result cache across engines on one SQLite file: what one engine cached, the next
/// (a restart) uses without running the task; entries at rest are encrypted like outputs.</summary>
public sealed class CachePersistenceTests : IDisposable
{
    private static readonly WorkflowDefinition Flow = new("persist",
        [new TaskDefinition("a", new CustomSpec("count", JsonValue.Create("work"))) { Cache = new CachePolicy(TimeSpan.FromHours(1)) }]);

    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly CountingHandler _handler = new();

    public void Dispose() => _db.Dispose();

    /// <summary>One engine on a fresh store instance over the file: runs the flow once, then closes both.</summary>
    private async Task<(RunSnapshot Run, CacheStats Stats)> RunInNewEngineAsync()
    {
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        await using var engine = WeftEngine.Create(o =>
        {
            o.Store = store;
            o.TimeProvider = _clock;
            o.Workers = 2;
            o.Handlers.Add(_handler);
        });
        var handle = await engine.SubmitAsync(Flow);
        var run = await handle.WaitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return (run, engine.GetCacheStats());
    }

    [Fact]
    public async Task NewEngineOnTheSameFile_HitsTheCache_WithoutRunningTheTask()
    {
        var (first, _) = await RunInNewEngineAsync();
        var (second, stats) = await RunInNewEngineAsync();

        Assert.Equal(TaskState.Succeeded, first.Tasks[0].State);
        Assert.Equal(TaskState.Cached, second.Tasks[0].State);
        Assert.Equal("call-1", second.Tasks[0].Output);
        Assert.Equal(1, _handler.Calls);
        Assert.Equal((1L, 1L, 0L), (stats.Hits, stats.StoreHits, stats.StoreErrors));

        await using var store = await SqliteStore.OpenAsync(_db.Options());
        var recorded = await store.GetRunAsync(second.RunId);
        Assert.Equal(TaskState.Cached, recorded!.Tasks[0].State);
        Assert.Equal("call-1", recorded.Tasks[0].Output);
    }

    [Fact]
    public async Task NewEngineAfterTheTtl_Misses()
    {
        await RunInNewEngineAsync();
        _clock.Advance(TimeSpan.FromHours(1));

        var (run, stats) = await RunInNewEngineAsync();

        Assert.Equal(TaskState.Succeeded, run.Tasks[0].State);
        Assert.Equal(2, _handler.Calls);
        Assert.Equal(0, stats.Hits);
    }

    [Fact]
    public async Task CacheEntryWithKey_IsEncryptedAtRest()
    {
        const string Marker = "plaintext-cache-marker-44";
        var key = RandomNumberGenerator.GetBytes(32);
        await using (var store = await SqliteStore.OpenAsync(_db.Options(key)))
        {
            await store.PutCacheAsync(new CacheEntry("k", Marker, false, T0, T0.AddHours(1)));
        }

        Assert.True(_db.FileBytes().AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)) < 0, "cache output found in clear");
        await using var reopened = await SqliteStore.OpenAsync(_db.Options(key));
        Assert.Equal(Marker, (await reopened.GetCacheAsync("k"))!.Output);
    }

    /// <summary>Kind "count": outputs "call-N", N counting calls across engines.</summary>
    private sealed class CountingHandler : ITaskHandler
    {
        private int _calls;

        public string Kind => "count";

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) =>
            new(TaskOutcome.Succeeded($"call-{Interlocked.Increment(ref _calls)}"));
    }
}
