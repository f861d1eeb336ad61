using System.Net;
using System.Net.Sockets;
using NATS.NKeys;
using Weft.Nats.Tests;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary><c>weft server</c> and <c>weft worker</c> processes on a nats-server that demands credentials:
/// in the URL (flag or <c>WEFT_TRANSPORT</c>), an nkey seed file (flag or <c>transport: nkey:</c>); a wrong
/// one is exit code 2 naming the server and where the credentials came from; no secret is ever printed.</summary>
[Trait("Category", "EndToEnd")]
public sealed class NatsCredentialsProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Password = "pa55-word-secret";
    private const string Flow = "name: hello\ntasks:\n  hi: { shell: 'echo hi there' }\n";

    [Fact]
    public async Task A_password_in_the_url_by_flag_and_by_WEFT_TRANSPORT_connects_server_and_worker_and_is_never_printed()
    {
        await using var nats = await NatsServer.StartAsync($"users = [ {{ user: alice, password: \"{Password}\" }} ]");
        using var files = new WorkflowFiles();
        var file = files.Write("hello.yaml", Flow);
        var secretUrl = nats.Url.Replace("nats://", $"nats://alice:{Password}@", StringComparison.Ordinal);
        var url = $"http://127.0.0.1:{FreePort()}";
        using var server = WeftProcess.Start(files.Directory, "server", "--store", "sqlite:runs.db", "--transport", secretUrl, "--urls", url);
        using var worker = WeftProcess.StartWith(files.Directory, new Dictionary<string, string?> { ["WEFT_TRANSPORT"] = secretUrl }, "worker", "--name", "w1");
        Assert.True(await server.WaitForOutputAsync("listening on", Patience), server.Stdout + server.Stderr);
        Assert.True(await worker.WaitForOutputAsync("weft worker w1 serving", Patience), worker.Stdout + worker.Stderr);

        var run = await WeftProcess.RunAsync(files.Directory, "run", file, "--server", url);

        var everything = $"{run}\nserver:\n{server.Stdout}{server.Stderr}\nworker:\n{worker.Stdout}{worker.Stderr}";
        Assert.True(run.ExitCode == 0, everything);
        Assert.Contains("hi there", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(nats.Url, server.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_nkey_seed_file_named_in_weft_yaml_connects_server_and_worker()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        await using var nats = await NatsServer.StartAsync($"users = [ {{ nkey: {user.GetPublicKey()} }} ]");
        using var files = new WorkflowFiles();
        Directory.CreateDirectory(Path.Combine(files.Directory, "keys"));
        files.Write("keys/weft.nk", user.GetSeed() + "\n");
        files.Write("weft.yaml", $"transport:\n  kind: nats\n  url: {nats.Url}\n  nkey: keys/weft.nk\n");
        var file = files.Write("hello.yaml", Flow);
        var url = $"http://127.0.0.1:{FreePort()}";
        using var server = WeftProcess.Start(files.Directory, "server", "--store", "sqlite:runs.db", "--urls", url);
        using var worker = WeftProcess.Start(files.Directory, "worker", "--name", "keyed");
        Assert.True(await server.WaitForOutputAsync("listening on", Patience), server.Stdout + server.Stderr);
        Assert.True(await worker.WaitForOutputAsync("weft worker keyed serving", Patience), worker.Stdout + worker.Stderr);

        var run = await WeftProcess.RunAsync(files.Directory, "run", file, "--server", url);

        var everything = $"{run}\nserver:\n{server.Stdout}{server.Stderr}\nworker:\n{worker.Stdout}{worker.Stderr}";
        Assert.True(run.ExitCode == 0, everything);
        Assert.Contains("hi there", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(user.GetSeed(), everything, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("server")]
    public async Task A_wrong_password_is_exit_code_2_naming_the_server_and_the_user_not_the_password(string command)
    {
        await using var nats = await NatsServer.StartAsync($"users = [ {{ user: alice, password: \"{Password}\" }} ]");
        using var files = new WorkflowFiles();
        var wrong = nats.Url.Replace("nats://", "nats://alice:wrong-secret@", StringComparison.Ordinal);
        string[] args = command == "server"
            ? ["server", "--store", "sqlite:runs.db", "--transport", wrong, "--urls", $"http://127.0.0.1:{FreePort()}"]
            : ["worker", "--transport", wrong, "--name", "w1"];

        var result = await WeftProcess.RunAsync(files.Directory, args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"NATS {nats.Url} refused user 'alice' and the password in the URL (Authorization Violation)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_in_WEFT_TRANSPORT_is_exit_code_2_without_showing_the_token()
    {
        await using var nats = await NatsServer.StartAsync("token: \"the-right-token\"");
        using var files = new WorkflowFiles();
        var wrong = nats.Url.Replace("nats://", "nats://not-the-token@", StringComparison.Ordinal);

        using var worker = WeftProcess.StartWith(files.Directory, new Dictionary<string, string?> { ["WEFT_TRANSPORT"] = wrong }, "worker", "--name", "w1");
        var exit = await worker.WaitForExitAsync();

        Assert.True(exit == 2, worker.Stdout + worker.Stderr);
        Assert.Contains($"NATS {nats.Url} refused the token in the URL", worker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token", worker.Stdout + worker.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("worker --transport nats://127.0.0.1:4222 --transport-creds missing.creds", "--transport-creds: NATS creds file 'missing.creds' cannot be read")]
    [InlineData("worker --transport nats://127.0.0.1:4222 --transport-nkey empty.nk", "--transport-nkey: NATS nkey seed file 'empty.nk' holds no user seed")]
    [InlineData("worker --transport nats://127.0.0.1:4222 --transport-creds empty.nk --transport-nkey empty.nk", "--transport-creds and --transport-nkey: a NATS client connects with one of")]
    [InlineData("worker --transport nats://alice:s3cret@127.0.0.1:4222 --transport-nkey empty.nk", "--transport-nkey: --transport already carries credentials")]
    [InlineData("worker --name w --transport-nkey empty.nk", "--transport-nkey: credentials for a NATS transport, but no transport is given")]
    [InlineData("server --store sqlite:x.db --transport nats://127.0.0.1:4222 --transport-nkey missing.nk", "--transport-nkey: NATS nkey seed file 'missing.nk' cannot be read")]
    public async Task Credential_files_that_cannot_work_are_exit_code_2_naming_the_option(string args, string message)
    {
        using var files = new WorkflowFiles();
        files.Write("empty.nk", "\n");

        var result = await WeftProcess.RunAsync(files.Directory, args.Split(' '));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_show_masks_the_token_of_a_nats_url()
    {
        using var files = new WorkflowFiles();
        files.Write("weft.yaml", "transport:\n  kind: nats\n  url: nats://s3cret-token@127.0.0.1:4222\n  nkey: keys/w.nk\n");

        var show = await WeftProcess.RunAsync(files.Directory, "config", "show");

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("nats://***@127.0.0.1:4222", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("keys/w.nk", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token", show.Stdout, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
