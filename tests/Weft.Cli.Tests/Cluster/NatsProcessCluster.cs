using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Weft.Nats.Tests;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>One test's NATS cluster of real processes: a nats-server (file storage), <c>weft server --store
/// sqlite:runs.db --transport nats://…</c>, <c>weft worker --transport nats://…</c> processes and
/// <c>weft run --server</c>; every process killed when the test ends. What the server recorded is read
/// through its REST API (<c>GET /api/runs/{id}</c>).</summary>
internal sealed class NatsProcessCluster : IAsyncDisposable
{
    /// <summary>The limit for any one condition a test waits for.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly List<WeftProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private NatsProcessCluster(NatsServer nats, int port)
    {
        Nats = nats;
        ApiUrl = $"http://127.0.0.1:{port}";
    }

    public NatsServer Nats { get; }

    public WorkflowFiles Files { get; } = new();

    public string ApiUrl { get; }

    public static async Task<NatsProcessCluster> StartAsync() => new(await NatsServer.StartAsync(), FreePort());

    /// <summary>Starts <c>weft server</c> on the transport and waits until it listens.</summary>
    public async Task<WeftProcess> StartServerAsync()
    {
        var server = Start("server", "--store", "sqlite:runs.db", "--transport", Nats.Url, "--urls", ApiUrl);
        Assert.True(await server.WaitForOutputAsync("listening on", Patience), $"the server did not start\n{Transcript()}");
        return server;
    }

    /// <summary>Starts <c>weft worker --transport … --name NAME</c> and waits until it serves.</summary>
    public async Task<WeftProcess> StartWorkerAsync(string name, params string[] extra)
    {
        var worker = Start(["worker", "--transport", Nats.Url, "--name", name, .. extra]);
        Assert.True(await worker.WaitForOutputAsync($"weft worker {name} serving", Patience), $"worker {name} did not start\n{worker.Stdout}\n{worker.Stderr}");
        return worker;
    }

    /// <summary>Starts <c>weft run FILE --server …</c> (submits and follows the run).</summary>
    public WeftProcess StartRun(string file) => Start("run", file, "--server", ApiUrl);

    public WeftProcess Start(params string[] args)
    {
        var process = WeftProcess.Start(Files.Directory, args);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>The id of the one run submitted, once there is one.</summary>
    public Task<string> RunIdAsync() => EventuallyAsync(
        async () =>
        {
            var page = await _http.GetFromJsonAsync<JsonElement>($"{ApiUrl}/api/runs");
            return page.GetProperty("items") is { ValueKind: JsonValueKind.Array } items && items.GetArrayLength() == 1
                ? items[0].GetProperty("runId").GetString()
                : null;
        },
        "a run submitted to the server");

    /// <summary>The run as the server has it now.</summary>
    public async Task<RecordedRun> RunAsync(string runId)
    {
        var run = await _http.GetFromJsonAsync<JsonElement>($"{ApiUrl}/api/runs/{runId}");
        return new RecordedRun(
            run.GetProperty("state").GetString()!,
            [.. run.GetProperty("tasks").EnumerateArray().Select(t => new RecordedTask(
                t.GetProperty("taskId").GetString()!,
                t.GetProperty("state").GetString()!,
                t.GetProperty("attempts").GetInt32(),
                [.. t.GetProperty("attemptHistory").EnumerateArray().Select(a => new RecordedAttempt(
                    a.GetProperty("outcome").GetString() ?? "",
                    a.TryGetProperty("error", out var error) ? error.GetString() : null,
                    a.TryGetProperty("worker", out var worker) ? worker.GetString() : null))]))]);
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value, within <see cref="Patience"/>; an
    /// HTTP error counts as not yet.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, Func<string>? context = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < Patience)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                last = ex;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"still waiting for {what} after {Patience.TotalSeconds:0} s{(last is null ? "" : $" (last error: {last.Message})")}{(context is null ? "" : "\n" + context())}");
        throw new UnreachableException();
    }

    /// <summary>Counts, per task id, the lines of a log that tasks append their id to.</summary>
    public Dictionary<string, int> LogCounts(string file)
    {
        var path = Path.Combine(Files.Directory, file);
        return File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0).GroupBy(l => l.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)
            : [];
    }

    /// <summary>Everything the processes and nats-server printed, for a failing assertion's message.</summary>
    public string Transcript()
    {
        lock (_processes)
        {
            return string.Join("\n", _processes.Select((p, i) => $"--- process {i} (pid {p.Id}) stdout:\n{Tail(p.Stdout)}\n--- stderr:\n{Tail(p.Stderr)}"))
                + $"\n--- nats-server:\n{Tail(Nats.Log)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        WeftProcess[] all;
        lock (_processes)
        {
            all = [.. _processes];
        }

        foreach (var process in all)
        {
            process.Dispose();
        }

        _http.Dispose();
        await Nats.DisposeAsync();
        Files.Dispose();
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal sealed record RecordedRun(string State, List<RecordedTask> Tasks);

internal sealed record RecordedTask(string TaskId, string State, int Attempts, List<RecordedAttempt> History);

internal sealed record RecordedAttempt(string Outcome, string? Error, string? Worker);
