using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Weft.Tests.EndToEnd;

/// <summary>The SQLite store on a file system that fills up mid-run (issue #11, item 5): weft must not
/// say the run succeeded, must say what failed and exit non-zero within seconds, and after space is
/// freed <c>weft runs resume</c> finishes the run.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class StoreFullTests : IDisposable
{
    private const int Tasks = 60;
    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    [Fact]
    public async Task DiskFillsMidRun_WeftSaysSoAndExits2WithinSeconds_ThenResumeFinishesTheRun()
    {
        using var fs = SmallFileSystem.Mount("384k");
        var flow = _files.Write("big.yaml", ChainOfNoisyTasks());
        var db = Path.Combine(fs.Directory, "weft.db");

        WeftResult run;
        TimeSpan afterFull;
        using (var weft = WeftProcess.Start(_files.Directory, "run", flow, "--store", "sqlite:" + db))
        {
            // From the moment the file system is (nearly) full, not from a start slowed by a busy machine.
            var drive = new DriveInfo(fs.Directory);
            while (!weft.HasExited && drive.AvailableFreeSpace > 32 * 1024)
            {
                await Task.Delay(20);
            }

            var clock = Stopwatch.StartNew();
            var exit = await weft.WaitForExitAsync();
            afterFull = clock.Elapsed;
            run = new WeftResult(exit, weft.Stdout, weft.Stderr);
        }

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"the store at {db} failed to write changes: the disk is full", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("succeeded", run.Stdout.Split('\n').Where(l => l.Contains("■ run", StringComparison.Ordinal)));
        Assert.True(afterFull < TimeSpan.FromSeconds(20), $"weft took {afterFull.TotalSeconds:0.0} s after the disk filled to give up\n{run}");
        var runId = ResumeHint().Match(run.Stderr) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no resume hint\n" + run);

        fs.Resize("64m");
        var listed = await WeftProcess.RunRawAsync(_files.Directory, "runs", "list", "--json", "--store", "sqlite:" + db);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal("running", JsonDocument.Parse(listed.Stdout).RootElement[0].GetProperty("state").GetString());

        var resumed = await WeftProcess.RunRawAsync(_files.Directory, "runs", "resume", runId, "--json", "--store", "sqlite:" + db);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var final = JsonDocument.Parse(resumed.Stdout).RootElement;
        Assert.Equal("succeeded", final.GetProperty("state").GetString());
        Assert.Equal(Tasks, final.GetProperty("tasks").EnumerateObject().Count(t => t.Value.GetProperty("state").GetString() == "succeeded"));
    }

    // Each task writes about 16 KB that does not compress: the chain outgrows the file system well
    // before its end, and what is left for the resume is short enough for a busy machine.
    private static string ChainOfNoisyTasks()
    {
        var yaml = new StringBuilder("name: noisy\ntasks:\n");
        for (var i = 0; i < Tasks; i++)
        {
            yaml.Append("  t").Append(i).Append(":\n    shell: 'head -c 12000 /dev/urandom | base64'\n");
            if (i > 0)
            {
                yaml.Append("    dependsOn: [t").Append(i - 1).Append("]\n");
            }
        }

        return yaml.ToString();
    }

    [GeneratedRegex("weft runs resume ([0-9a-f]+)")]
    private static partial Regex ResumeHint();
}
