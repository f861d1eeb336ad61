using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Weft.Nats.Tests;

/// <summary>A real nats-server with JetStream on 127.0.0.1, in a temporary directory, for one test; killed
/// and removed at the end. A test that needs it fails (does not skip) when nats-server is not installed:
/// scripts/test.sh installs Debian's package.</summary>
public sealed class NatsServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly string _directory;

    private NatsServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Url = $"nats://127.0.0.1:{port}";
    }

    public string Url { get; }

    public static async Task<NatsServer> StartAsync()
    {
        var binary = Find() ?? throw new InvalidOperationException("nats-server is not installed (apt-get install nats-server; scripts/test.sh does it): the NATS tests need a real server");
        var directory = Directory.CreateTempSubdirectory("weft-nats-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", Path.Combine(directory, "js") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new NatsServer(process, directory, port);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            string text;
            lock (log)
            {
                text = log.ToString();
            }

            if (text.Contains("Server is ready", StringComparison.Ordinal))
            {
                return server;
            }

            if (process.HasExited || deadline.Elapsed > StartLimit)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"nats-server did not become ready on port {port} within {StartLimit.TotalSeconds} s:\n{text}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
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
