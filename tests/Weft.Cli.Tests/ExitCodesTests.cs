using Weft.Cli;

namespace Weft.Tests;

public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(RunState.Succeeded, 0)]
    [InlineData(RunState.Failed, 1)]
    [InlineData(RunState.TimedOut, 1)]
    [InlineData(RunState.Cancelled, 130)]
    [InlineData(RunState.Running, 1)]
    [InlineData(RunState.Pending, 1)]
    [InlineData(RunState.Paused, 1)]
    public void ForRun_MapsFinalStateToContractCode(RunState state, int expected) =>
        Assert.Equal(expected, ExitCodes.ForRun(state));

    [Fact]
    public void Constants_MatchTheDocumentedContract()
    {
        Assert.Equal(0, ExitCodes.Succeeded);
        Assert.Equal(1, ExitCodes.Failed);
        Assert.Equal(2, ExitCodes.InvalidInput);
        Assert.Equal(130, ExitCodes.Cancelled);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("memory", true)]
    [InlineData("MEMORY", true)]
    [InlineData("sqlite", false)]
    [InlineData("postgres://localhost/weft", false)]
    public void StoreChoice_OnlyMemoryIsAvailable(string? store, bool ok)
    {
        var error = StoreChoice.Check(store);

        Assert.Equal(ok, error is null);
        if (!ok)
        {
            Assert.Equal($"store '{store}' is not available yet; use --store memory", error);
        }
    }
}
