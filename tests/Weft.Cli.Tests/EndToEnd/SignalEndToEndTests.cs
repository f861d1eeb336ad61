using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Weft.Tests.EndToEnd;

/// <summary>Whatever signal ends <c>weft run</c> (that a process can catch), the run is recorded as
/// cancelled, weft exits 130, and no process of the task is left: not the task's shell, not the
/// orphan it started in the background.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SignalEndToEndTests : IDisposable
{
    private const string Db = "runs.db";

    private const string Background = """
        name: background
        tasks:
          serve:
            shell: 'echo $$ > sh.pid; ( sleep 300 & echo $! > orphan.pid ); sleep 300'
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        KillStray("sh.pid");
        KillStray("orphan.pid");
        _files.Dispose();
    }

    [Theory]
    [Trait("NeedsEngine", "true")]
    [InlineData("HUP")]
    [InlineData("QUIT")]
    [InlineData("TERM")]
    public async Task Run_Signal_CancelsTheRunAndLeavesNoTaskProcess(string signal)
    {
        var file = _files.Write("background.yaml", Background);
        using var weft = WeftProcess.Start(_files.Directory, "run", file, "--store", "sqlite:" + Db);
        var shell = await ReadPidAsync("sh.pid", weft);
        var orphan = await ReadPidAsync("orphan.pid", weft);

        await weft.SignalAsync(signal);
        var exit = await weft.WaitForExitAsync();

        Assert.True(exit == 130, $"exit {exit}\nstdout:\n{weft.Stdout}\nstderr:\n{weft.Stderr}");
        await WaitGoneAsync(shell, "the task's shell");
        await WaitGoneAsync(orphan, "the task's background orphan");
        var list = await WeftProcess.RunAsync(_files.Directory, "runs", "list", "--json", "--store", "sqlite:" + Db);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("cancelled", JsonNode.Parse(list.Stdout)!.AsArray().Single()!["state"]!.GetValue<string>());
    }

    private async Task<int> ReadPidAsync(string name, WeftProcess weft)
    {
        var path = Path.Combine(_files.Directory, name);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var text = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
            if (text.EndsWith('\n'))
            {
                return int.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30) && !weft.HasExited, $"no {name}\nstdout:\n{weft.Stdout}\nstderr:\n{weft.Stderr}");
            await Task.Delay(20);
        }
    }

    /// <summary>A zombie counts as gone: it runs nothing, and reaping orphans is PID 1's job.</summary>
    private static async Task WaitGoneAsync(int pid, string what)
    {
        var watch = Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{what} (pid {pid}) is still running");
            await Task.Delay(20);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Ends a sleep a failing test left behind, by its PID (checked to still be a sleep or sh).</summary>
    private void KillStray(string name)
    {
        var path = Path.Combine(_files.Directory, name);
        if (!File.Exists(path) || !int.TryParse(File.ReadAllText(path).Trim(), out var pid) || !IsAlive(pid))
        {
            return;
        }

        var cmdline = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline") : string.Empty;
        if (!cmdline.StartsWith("sleep", StringComparison.Ordinal) && !cmdline.StartsWith("/bin/sh", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var stray = Process.GetProcessById(pid);
            stray.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }
}
