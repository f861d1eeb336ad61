using Weft.Services;

namespace Weft.Tests.Services;

public sealed class EngineServicesTests
{
    [Fact]
    public async Task StopAll_StopsEveryServiceOnceInOrder_EvenWhenOneFails_AndNamesTheOneThatFailed()
    {
        var stopped = new List<string>();
        var services = new EngineServices([new Probe("a", stopped), new Probe("b", stopped, fail: true), null, new Probe("c", stopped)]);
        services.StartAll();
        services.StartAll();

        var error = await Assert.ThrowsAsync<AggregateException>(services.StopAllAsync);
        await services.StopAllAsync(); // a second stop is a no-op

        Assert.Equal(["a", "b", "c"], stopped);
        Assert.Contains("stopping b failed: disk gone", Assert.Single(error.InnerExceptions).Message);
        Assert.All(services.All.Cast<Probe>(), p => Assert.Equal(1, p.Starts));
    }

    [Fact]
    public async Task Engine_ListsItsServicesInShutdownOrder_AndStopsTwiceSafely()
    {
        var engine = WeftEngine.Create(o => o.Workers = 2);
        Assert.Equal(["schedule runner", "signal inbox", "retention", "resource monitor", "pool scaler", "local slot pool", "run lease renewal"], engine.ServiceNames);

        await engine.StopAsync(TimeSpan.FromSeconds(5));
        await engine.DisposeAsync();
        await engine.StopAsync(TimeSpan.Zero);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await engine.SubmitAsync(new Weft.Definitions.WorkflowDefinition("late", [])));
    }

    private sealed class Probe(string name, List<string> stopped, bool fail = false) : IEngineService
    {
        public int Starts { get; private set; }

        public string Name => name;

        public void Start() => Starts++;

        public Task StopAsync()
        {
            stopped.Add(name);
            return fail ? Task.FromException(new IOException("disk gone")) : Task.CompletedTask;
        }
    }
}
