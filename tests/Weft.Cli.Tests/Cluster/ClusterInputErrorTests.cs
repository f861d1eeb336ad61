using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>Mistakes in cluster commands exit 2 with a message that says what is wrong, and never echo a password.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ClusterInputErrorTests : IDisposable
{
    private readonly WorkflowFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Worker_WithASqliteStore_Exits2SayingItNeedsACluster()
    {
        var result = await WeftProcess.RunAsync(_files.Directory, "worker", "--store", "sqlite:runs.db");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("needs a cluster store (postgres://", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_files.Directory, "runs.db")), "a worker refused still created the SQLite file");
    }

    [Theory]
    [InlineData("postgres://weft:s3cret-pw@127.0.0.1:99999/weft", "not a valid URI")]
    [InlineData("postgres://weft:s3cret-pw@127.0.0.1:5432/weft/extra", "is not a database name")]
    [InlineData("postgres://weft:s3cret-pw@127.0.0.1:5432/weft?schema=Bad-Name", "schema 'Bad-Name' is not a valid name")]
    [InlineData("postgres://weft:s3cret-pw@127.0.0.1:1/weft", "cannot reach the server (Connection refused)")]
    public async Task Worker_WithABadPostgresUri_Exits2NamingTheProblemWithoutThePassword(string uri, string problem)
    {
        var result = await WeftProcess.RunAsync(_files.Directory, "worker", "--store", uri);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(problem, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5", "5")]
    [InlineData("5", "2")]
    [InlineData("0", "30")]
    public async Task Worker_WhoseDeadAfterIsNotAboveItsHeartbeat_Exits2(string heartbeat, string deadAfter)
    {
        var result = await WeftProcess.RunAsync(_files.Directory, "worker", "--store", "postgres://weft@127.0.0.1:1/weft", "--heartbeat", heartbeat, "--dead-after", deadAfter);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(heartbeat == "0" ? "--heartbeat must be" : "--dead-after must be more than --heartbeat", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsCancel_OnAPostgresStore_Exits2PointingToServerWithoutConnecting()
    {
        // Refused before any connection is tried: nothing listens on port 1.
        var result = await WeftProcess.RunAsync(_files.Directory, "runs", "cancel", "0192f3c4-0000-7000-8000-000000000000", "--store", "postgres://weft@127.0.0.1:1/weft");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("use --server URL", result.Stderr, StringComparison.Ordinal);
    }
}
