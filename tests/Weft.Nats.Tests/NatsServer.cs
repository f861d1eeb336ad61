using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NATS.Client.Core;
using NATS.Net;

namespace Weft.Nats.Tests;

/// <summary>A real nats-server with JetStream (file storage) on 127.0.0.1, in a temporary directory, for one
/// test; killed and removed at the end. A test that needs it fails (does not skip) when nats-server is not
/// installed: scripts/test.sh installs Debian's package. It can be stopped and started again on the same
/// port and storage (a restart), frozen and thawed (SIGSTOP/SIGCONT: a network cut as clients see it), and
/// started with an <c>authorization { … }</c> block of nats-server's configuration.</summary>
public sealed class NatsServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);

    private readonly string _directory;
    private readonly int _port;
    private readonly string _config;
    private Process? _process;
    private System.Text.StringBuilder _log = new();

    private NatsServer(string directory, int port, string config)
    {
        _directory = directory;
        _port = port;
        _config = config;
        Url = $"nats://127.0.0.1:{port}";
    }

    /// <summary>The URL without credentials.</summary>
    public string Url { get; }

    public int Port => _port;

    /// <summary>What nats-server printed since it last started.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a server; <paramref name="authorization"/> is the body of nats-server's
    /// <c>authorization { }</c> block (users, token), none when null.</summary>
    public static async Task<NatsServer> StartAsync(string? authorization = null)
    {
        var directory = Directory.CreateTempSubdirectory("weft-nats-").FullName;
        var port = FreePort();
        var store = Path.Combine(directory, "js").Replace("\\", "/", StringComparison.Ordinal);
        var config = Path.Combine(directory, "nats.conf");
        await File.WriteAllTextAsync(config, $$"""
            listen: "127.0.0.1:{{port}}"
            jetstream { store_dir: "{{store}}" }
            {{(authorization is null ? "" : $"authorization {{\n{authorization}\n}}")}}
            """);
        var server = new NatsServer(directory, port, config);
        try
        {
            await server.StartProcessAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Stops the server and starts it again on the same port with the same JetStream storage, after
    /// <paramref name="downFor"/>: gracefully (SIGTERM: JetStream writes its state out, as a service restart
    /// does) or, with <paramref name="crash"/>, by SIGKILL (what it had not written out yet is gone).</summary>
    /// <summary>The names of the JetStream streams the server holds now (a key-value bucket is <c>KV_&lt;bucket&gt;</c>).</summary>
    public async Task<List<string>> StreamNamesAsync()
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = Url });
        var names = new List<string>();
        await foreach (var name in connection.CreateJetStreamContext().ListStreamNamesAsync())
        {
            names.Add(name);
        }

        return names;
    }

    public async Task RestartAsync(TimeSpan downFor, bool crash = false)
    {
        await StopAsync(crash);
        await Task.Delay(downFor);
        await StartProcessAsync();
    }

    /// <summary>Stops the server (SIGTERM, or SIGKILL with <paramref name="crash"/>), leaving its storage.</summary>
    public async Task StopAsync(bool crash = false)
    {
        if (_process is { HasExited: false } process)
        {
            if (crash)
            {
                process.Kill(entireProcessTree: true);
            }
            else
            {
                await SignalAsync("TERM");
            }

            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends SIGSTOP or SIGCONT (by name: STOP, CONT): a frozen server holds its connections
    /// but answers nothing, as a cut network does.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} nats-server failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        var binary = Find() ?? throw new InvalidOperationException("nats-server is not installed (apt-get install nats-server; scripts/test.sh does it): the NATS tests need a real server");
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "-c", _config },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var log = new System.Text.StringBuilder();
        _log = log;
        _process?.Dispose();
        var process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        _process = process;
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var text = Log;
            if (text.Contains("Server is ready", StringComparison.Ordinal))
            {
                return;
            }

            if (process.HasExited || deadline.Elapsed > StartLimit)
            {
                throw new InvalidOperationException($"nats-server did not become ready on port {_port} within {StartLimit.TotalSeconds} s:\n{text}");
            }

            await Task.Delay(20);
        }
    }

    private static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':').Append("/usr/sbin").Append("/usr/bin")
            .Select(d => Path.Combine(d, "nats-server"))
            .FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
