using Weft.Cluster;
using Weft.Execution;
using Weft.Sqlite;

namespace Weft.Nats.Tests;

/// <summary>A scheduler engine recording in a SQLite file with NATS as its transport, and workers started
/// against the same NATS server; all disposed at the end (workers, engine, store, server).</summary>
internal sealed class NatsCluster : IAsyncDisposable
{
    public static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(60);

    private readonly List<NatsWorker> _workers = [];
    private readonly string _directory;
    private SqliteStore? _store;

    private readonly bool _ownsServer;

    private NatsCluster(NatsServer server, string directory, bool ownsServer)
    {
        Server = server;
        _directory = directory;
        _ownsServer = ownsServer;
    }

    public NatsServer Server { get; }

    public WeftEngine Engine { get; private set; } = null!;

    public List<string> Log { get; } = [];

    /// <summary>How the workers reach NATS (the scheduler's transport unless a test says otherwise).</summary>
    public NatsTransport WorkerTransport { get; set; } = null!;

    /// <summary>A scheduler on <paramref name="server"/> (a new one without authorization when null) through
    /// <paramref name="transport"/> (its URL, no credentials, when null). The cluster stops the server at the end
    /// unless <paramref name="ownsServer"/> is false (several clusters on one server).</summary>
    public static async Task<NatsCluster> StartAsync(NatsServer? server = null, NatsTransport? transport = null, bool ownsServer = true)
    {
        server ??= await NatsServer.StartAsync();
        transport ??= new NatsTransport(server.Url);
        var cluster = new NatsCluster(server, Directory.CreateTempSubdirectory("weft-nats-store-").FullName, ownsServer) { WorkerTransport = transport };
        transport.OnLog = cluster.Add;
        cluster._store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(cluster._directory, "weft.db") });
        cluster.Engine = cluster.NewEngine(transport);
        return cluster;
    }

    /// <summary>Stops the scheduler engine as a server process stops (its runs stay unfinished in the store)
    /// and starts a new one on the same store and NATS server; the runs it held are for the test to take up.</summary>
    public async Task RestartEngineAsync()
    {
        await Engine.StopAsync(TimeSpan.Zero);
        Engine = NewEngine(new NatsTransport(WorkerTransport.Url) { CredsFile = WorkerTransport.CredsFile, NKeySeedFile = WorkerTransport.NKeySeedFile, Prefix = WorkerTransport.Prefix, OnLog = Add });
    }

    private WeftEngine NewEngine(NatsTransport transport) => WeftEngine.Create(o =>
    {
        o.Store = _store;
        o.Retention = null;
        o.Transport = transport;
    });

    public async Task<NatsWorker> WorkerAsync(string name, int slots = 4, string[]? queues = null, Action<ClusterWorkerOptions>? configure = null)
    {
        var options = new ClusterWorkerOptions { Name = name, Slots = slots, OnLog = Add };
        if (queues is not null)
        {
            options.Queues.Clear();
            foreach (var queue in queues)
            {
                options.Queues.Add(queue);
            }
        }

        configure?.Invoke(options);
        var worker = await NatsWorker.StartAsync(WorkerTransport, options, CancellationToken.None);
        lock (_workers)
        {
            _workers.Add(worker);
        }

        return worker;
    }

    public async Task<RunSnapshot> RunAsync(Definitions.WorkflowDefinition flow, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var handle = await Engine.SubmitAsync(flow, parameters);
        return await handle.WaitAsync().WaitAsync(HardLimit);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await Engine.DisposeAsync();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_ownsServer)
        {
            await Server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    public string Transcript()
    {
        lock (Log)
        {
            return string.Join("\n", Log);
        }
    }

    private void Add(string line)
    {
        lock (Log)
        {
            Log.Add(line);
        }
    }
}

/// <summary>A kind only the test's workers know: succeeds with "done by NAME", or (blocking) holds its slot
/// until cancelled, telling the test it started.</summary>
internal sealed class HoldHandler(string worker, bool blocks) : ITaskHandler
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Kind => "hold";

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        Started.TrySetResult();
        if (blocks)
        {
            await Task.Delay(Timeout.Infinite, invocation.CancellationToken);
        }

        return TaskOutcome.Succeeded($"done by {worker}");
    }
}
