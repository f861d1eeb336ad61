using NATS.NKeys;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Nats.Tests;

/// <summary>A nats-server that demands credentials: the scheduler and workers connect with them as NATS
/// clients take them (user and password or a token in the URL, an nkey seed file), a wrong one is an error
/// naming the server and where the credentials came from, and no secret is ever printed.</summary>
public sealed class NatsCredentialsTests
{
    private const string Password = "pa55-word-secret";
    private const string Token = "t0ken-secret";

    [Fact]
    public async Task User_and_password_in_the_url_connect_the_scheduler_and_a_worker_and_a_wrong_password_is_refused_by_name()
    {
        var server = await NatsServer.StartAsync($"users = [ {{ user: alice, password: \"{Password}\" }} ]");
        await using var cluster = await NatsCluster.StartAsync(server, new NatsTransport(WithUserInfo(server, $"alice:{Password}")));
        await cluster.WorkerAsync("w1");

        var run = await cluster.RunAsync(Flow());

        Assert.Equal(RunState.Succeeded, run.State);
        var error = await Assert.ThrowsAsync<WeftConfigurationException>(() =>
            NatsWorker.StartAsync(new NatsTransport(WithUserInfo(server, "alice:wrong-secret")), new Cluster.ClusterWorkerOptions { Name = "w2" }, CancellationToken.None));
        Assert.Equal($"worker 'w2': NATS {server.Url} refused user 'alice' and the password in the URL (Authorization Violation)", error.Message);
        Assert.DoesNotContain(Password, cluster.Transcript(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_in_the_url_connects_and_a_wrong_token_is_refused_without_showing_it()
    {
        var server = await NatsServer.StartAsync($"token: \"{Token}\"");
        await using var cluster = await NatsCluster.StartAsync(server, new NatsTransport(WithUserInfo(server, Token)));
        await cluster.WorkerAsync("w1");

        var run = await cluster.RunAsync(Flow());

        Assert.Equal(RunState.Succeeded, run.State);
        var error = await Assert.ThrowsAsync<WeftConfigurationException>(() =>
            NatsWorker.StartAsync(new NatsTransport(WithUserInfo(server, "not-the-token")), new Cluster.ClusterWorkerOptions { Name = "w2" }, CancellationToken.None));
        Assert.Equal($"worker 'w2': NATS {server.Url} refused the token in the URL (Authorization Violation)", error.Message);
        Assert.DoesNotContain("not-the-token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, cluster.Transcript(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_nkey_seed_file_connects_and_another_users_seed_is_refused_naming_the_file()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        using var stranger = KeyPair.CreatePair(PrefixByte.User);
        var files = Directory.CreateTempSubdirectory("weft-nkeys-").FullName;
        try
        {
            var seedFile = Path.Combine(files, "user.nk");
            await File.WriteAllTextAsync(seedFile, user.GetSeed() + "\n");
            var strangerFile = Path.Combine(files, "stranger.nk");
            await File.WriteAllTextAsync(strangerFile, stranger.GetSeed() + "\n");
            var server = await NatsServer.StartAsync($"users = [ {{ nkey: {user.GetPublicKey()} }} ]");
            await using var cluster = await NatsCluster.StartAsync(server, new NatsTransport(server.Url) { NKeySeedFile = seedFile });
            await cluster.WorkerAsync("w1");

            var run = await cluster.RunAsync(Flow());

            Assert.Equal(RunState.Succeeded, run.State);
            var error = await Assert.ThrowsAsync<WeftConfigurationException>(() =>
                NatsWorker.StartAsync(new NatsTransport(server.Url) { NKeySeedFile = strangerFile }, new Cluster.ClusterWorkerOptions { Name = "w2" }, CancellationToken.None));
            Assert.Equal($"worker 'w2': NATS {server.Url} refused the nkey seed file '{strangerFile}' (Authorization Violation)", error.Message);
            Assert.DoesNotContain(stranger.GetSeed(), error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(user.GetSeed(), cluster.Transcript(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    [Fact]
    public async Task A_scheduler_refused_says_so_in_its_log_naming_the_server_and_not_the_password()
    {
        var server = await NatsServer.StartAsync($"users = [ {{ user: alice, password: \"{Password}\" }} ]");
        await using var cluster = await NatsCluster.StartAsync(server, new NatsTransport(WithUserInfo(server, "alice:wrong-secret")));
        await cluster.Engine.SubmitAsync(Flow()); // starts the engine, and with it the dispatcher's connection

        var limit = DateTime.UtcNow + NatsCluster.HardLimit;
        while (!cluster.Transcript().Contains("refused", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < limit, "no refusal in the scheduler's log:\n" + cluster.Transcript());
            await Task.Delay(20);
        }

        Assert.Contains($"NATS {server.Url} refused user 'alice' and the password in the URL (Authorization Violation)", cluster.Transcript(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", cluster.Transcript(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.nk", null, "cannot be read")]
    [InlineData("empty.nk", "", "holds no user seed (a line starting with SU)")]
    [InlineData("broken.nk", "SUNOTAVALIDSEED\n", "holds a seed that is not valid")]
    public async Task An_nkey_seed_file_that_cannot_be_used_is_an_error_naming_the_file(string name, string? content, string problem)
    {
        var files = Directory.CreateTempSubdirectory("weft-nkeys-").FullName;
        try
        {
            var path = Path.Combine(files, name);
            if (content is not null)
            {
                await File.WriteAllTextAsync(path, content);
            }

            var error = await Assert.ThrowsAsync<WeftConfigurationException>(() =>
                NatsWorker.StartAsync(new NatsTransport("nats://127.0.0.1:4222") { NKeySeedFile = path }, new Cluster.ClusterWorkerOptions { Name = "w" }, CancellationToken.None));

            Assert.StartsWith($"NATS nkey seed file '{path}' ", error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    [Fact]
    public async Task A_creds_file_that_cannot_be_read_is_an_error_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weft-missing-{Guid.NewGuid():N}.creds");

        var error = await Assert.ThrowsAsync<WeftConfigurationException>(() =>
            NatsWorker.StartAsync(new NatsTransport("nats://127.0.0.1:4222") { CredsFile = path }, new Cluster.ClusterWorkerOptions { Name = "w" }, CancellationToken.None));

        Assert.StartsWith($"NATS creds file '{path}' cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nats://alice:s3cret@127.0.0.1:4222", "nats://127.0.0.1:4222")]
    [InlineData("nats://t0ken@127.0.0.1:4222", "nats://127.0.0.1:4222")]
    [InlineData("tls://alice:s3cret@nats.example.com:4222", "tls://nats.example.com:4222")]
    [InlineData("nats://127.0.0.1:4222", "nats://127.0.0.1:4222")]
    public void A_transport_describes_its_server_without_credentials(string url, string shown) =>
        Assert.Equal(shown, new NatsTransport(url).Describe());

    [Fact]
    public void A_transport_with_a_prefix_names_it_where_it_names_its_server()
    {
        var transport = new NatsTransport("nats://alice:s3cret@127.0.0.1:4222") { Prefix = "staging" };

        Assert.Equal("nats://127.0.0.1:4222 (prefix staging)", transport.Describe());
        // As a host sees it: the configuration error names the cluster by server and prefix.
        var error = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o => o.Transport = transport));
        Assert.Contains("Transport nats://127.0.0.1:4222 (prefix staging) needs a durable store", error.Message, StringComparison.Ordinal);
    }

    private static string WithUserInfo(NatsServer server, string userInfo) => server.Url.Replace("nats://", $"nats://{userInfo}@", StringComparison.Ordinal);

    private static WorkflowDefinition Flow() =>
        new WorkflowBuilder("creds").Task("a", t => t.Noop()).Task("b", t => t.Shell("echo b").DependsOn("a")).Build();
}
