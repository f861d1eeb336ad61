using Weft.Sqlite;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Sqlite;

/// <summary>Runs submitted at once share commits (each is still durable when its submit returns). One refused
/// run not taking the others of its commit with it is a conformance test (every store).</summary>
public sealed class ConcurrentSubmitTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task FiveHundredRunsSubmittedAtOnce_AreAllRecorded_InFewerCommitsThanRuns()
    {
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        var definition = new Definitions.WorkflowDefinition("small", [new Definitions.TaskDefinition("t", Definitions.NoopSpec.Instance)]);
        var before = store.Commits;

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => store.CreateRunAsync(Run($"r{i}", T0, definition)).AsTask()));

        Assert.True(store.Commits - before < 500, $"{store.Commits - before} commits for 500 runs: none shared");
        await using var reopened = await SqliteStore.OpenAsync(_db.Options());
        Assert.Equal(500, (await reopened.ListRunsAsync(new RunQuery { Limit = 1000 })).Count);
    }
}
