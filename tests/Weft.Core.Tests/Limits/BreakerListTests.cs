using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Limits;

/// <summary><see cref="WeftEngine.ListBreakers"/>: what <c>GET /api/breakers</c> and <c>weft breakers list</c> show.</summary>
public sealed class BreakerListTests
{
    private static readonly TaskOutcome Unavailable = TaskOutcome.Failed("HTTP 503", httpStatus: 503);

    private static TaskDefinition Call(string id) => Def(id) with { Breaker = "payments" };

    [Fact]
    public async Task ListBreakers_CountsFailures_ThenShowsWhenItOpenedUntilAReset()
    {
        await using var h = new EngineHarness(1, o => o.Breakers.FailureThreshold = 3);
        var start = h.Clock.GetUtcNow();
        h.Script.Outcomes("c1", Unavailable);
        h.Script.Outcomes("c2", Unavailable);

        await h.RunAsync(EngineHarness.Flow(Call("c1"), Call("c2")));
        var closed = Assert.Single(h.Engine.ListBreakers());
        h.Script.Outcomes("c3", Unavailable);
        await h.RunAsync(EngineHarness.Flow(Call("c3")));
        var open = Assert.Single(h.Engine.ListBreakers());
        h.Engine.ResetBreaker("payments");
        var reset = Assert.Single(h.Engine.ListBreakers());

        Assert.Equal(new BreakerStatus("payments", "closed") { Failures = 2 }, closed);
        Assert.Equal(new BreakerStatus("payments", "open") { OpenedAt = start, OpenUntil = start + TimeSpan.FromSeconds(60) }, open);
        Assert.Equal(new BreakerStatus("payments", "closed"), reset);
    }

    [Fact]
    public async Task ListBreakers_NoWorkflowUsedOne_IsEmpty()
    {
        await using var h = new EngineHarness(1);

        await h.RunAsync(EngineHarness.Flow(Def("plain")));

        Assert.Empty(h.Engine.ListBreakers());
    }
}
