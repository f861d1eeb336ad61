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
    [InlineData("memory", "memory")]
    [InlineData("MEMORY", "memory")]
    [InlineData("sqlite", "sqlite:.weft/weft.db")]
    [InlineData("sqlite:/var/lib/weft/runs.db", "sqlite:/var/lib/weft/runs.db")]
    public void StoreChoice_KnownStores_Parse(string store, string described)
    {
        var choice = StoreChoice.TryParse(store, out var error);

        Assert.Null(error);
        Assert.Equal(described, choice!.Describe());
    }

    [Theory]
    [InlineData("mysql://x", "unknown store 'mysql://x'; use memory, sqlite, sqlite:PATH or postgres://user:pass@host:5432/db")]
    [InlineData("sqlite:", "unknown store 'sqlite:'; use memory, sqlite, sqlite:PATH or postgres://user:pass@host:5432/db")]
    [InlineData("Host=db;Password=s3cret;Schema=Bad-Name", "store 'Host=db;Password=***;Schema=Bad-Name': schema 'Bad-Name' is not a valid name: use lowercase letters, digits and _, starting with a letter or _, at most 40 characters")]
    public void StoreChoice_UnknownStores_SayWhatIsAccepted(string store, string message)
    {
        Assert.Null(StoreChoice.TryParse(store, out var error));
        Assert.Equal(message, error);
    }
}
