using System.Diagnostics;

namespace Weft.Bench;

/// <summary>The <c>weft worker</c> child processes of a cluster benchmark. Each gets a name, its slots, a
/// <c>--stats-file</c> and what the session's transport sets (its store or NATS server in environment
/// variables, so a password never shows in the process list); its output is drained (a full pipe would block it) and its last lines kept for
/// the error message if it dies. Stopped with SIGTERM, then killed if it has not exited in time; a
/// process-exit hook kills any still running if the benchmark itself is ended abruptly.</summary>
internal sealed class WorkerProcesses : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly List<Child> _children = [];
    private readonly EventHandler _onExit;

    private WorkerProcesses()
    {
        _onExit = (_, _) => KillAll();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public IReadOnlyList<Child> Children => _children;

    /// <summary>Starts <paramref name="count"/> workers at once; <see cref="Child.LaunchedUtc"/> is taken
    /// just before each <see cref="Process.Start()"/>.</summary>
    public static WorkerProcesses Start(WorkerLauncher launcher, Action<ProcessStartInfo> configure, int count, int slots, string directory)
    {
        var processes = new WorkerProcesses();
        try
        {
            for (var i = 1; i <= count; i++)
            {
                var name = $"bench-worker-{i}";
                var stats = Path.Combine(directory, name + ".json");
                var info = launcher(["worker", "--name", name, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--drain", "5", "--stats-file", stats]);
                configure(info);
                info.RedirectStandardOutput = true;
                info.RedirectStandardError = true;
                info.UseShellExecute = false;
                var process = new Process { StartInfo = info };
                var child = new Child(name, stats, process);
                process.OutputDataReceived += (_, e) => child.Keep(e.Data);
                process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
                child.LaunchedUtc = DateTimeOffset.UtcNow;
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                processes._children.Add(child);
            }

            return processes;
        }
        catch
        {
            processes.KillAll();
            throw;
        }
    }

    /// <summary>Throws with the worker's last output if one has exited.</summary>
    public void EnsureRunning()
    {
        foreach (var child in _children.Where(c => c.Process.HasExited))
        {
            throw new InvalidOperationException($"{child.Name} exited with code {child.Process.ExitCode}: {child.LastOutput()}");
        }
    }

    /// <summary>SIGTERM to every worker (they stop gracefully and write their last statistics), then a
    /// kill for any that has not exited within <see cref="StopGrace"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children.Where(c => !c.Process.HasExited))
        {
            try
            {
                using var kill = Process.Start("kill", ["-TERM", child.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No kill(1): the kill below ends it.
            }
        }

        using var grace = new CancellationTokenSource(StopGrace);
        foreach (var child in _children)
        {
            try
            {
                await child.Process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill(child.Process);
            }
        }

        KillAll();
        foreach (var child in _children)
        {
            child.Process.Dispose();
        }

        AppDomain.CurrentDomain.ProcessExit -= _onExit;
    }

    private void KillAll()
    {
        foreach (var child in _children)
        {
            Kill(child.Process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    internal sealed class Child(string name, string statsPath, Process process)
    {
        private readonly Queue<string> _last = new();

        public string Name { get; } = name;

        public string StatsPath { get; } = statsPath;

        public Process Process { get; } = process;

        public DateTimeOffset LaunchedUtc { get; set; }

        public void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_last)
            {
                _last.Enqueue(line);
                if (_last.Count > 20)
                {
                    _last.Dequeue();
                }
            }
        }

        public string LastOutput()
        {
            lock (_last)
            {
                return string.Join(" | ", _last);
            }
        }
    }
}

/// <summary>How to start this same <c>weft</c> executable with the given arguments (the CLI knows
/// whether it runs as an apphost or under <c>dotnet weft.dll</c>).</summary>
internal delegate ProcessStartInfo WorkerLauncher(IReadOnlyList<string> arguments);
