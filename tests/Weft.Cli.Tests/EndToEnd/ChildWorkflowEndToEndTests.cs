using Microsoft.Data.Sqlite;
using Weft.Sqlite;

namespace Weft.Tests.EndToEnd;

/// <summary>A child workflow by path with a real <c>weft run</c> on SQLite: the child is a run of its own,
/// listed with its parent, and <c>weft runs show</c> leads from the parent to the child and back.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ChildWorkflowEndToEndTests : IDisposable
{
    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    private string Db => Path.Combine(_files.Directory, "weft.db");

    private string Store => "sqlite:" + Db;

    [Fact]
    public async Task WeftRun_RunsAChildByPath_AndRunsShowLinksParentAndChild()
    {
        Directory.CreateDirectory(Path.Combine(_files.Directory, "flows"));
        _files.Write("flows/load-region.yaml", """
            name: load-region
            params:
              region: { required: true }
            tasks:
              extract:
                shell: 'echo "rows of {{ params.region }}"'
            """);
        var parent = _files.Write("nightly.yaml", """
            name: nightly
            params:
              region: { default: eu }
            tasks:
              load_region:
                workflow: flows/load-region.yaml
                params: { region: "{{ params.region }}" }
              report:
                dependsOn: load_region
                shell: 'echo "report: {{ tasks.load_region.output.extract }}"'
            """);

        var run = await WeftProcess.RunAsync(_files.Directory, "run", parent, "--store", Store, "--param", "region=us");
        Assert.True(run.ExitCode == 0, run.ToString());

        await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Db });
        var runs = await store.ListRunsAsync(new Storage.RunQuery());
        var top = Assert.Single(runs, r => r.Workflow == "nightly");
        var child = Assert.Single(runs, r => r.Workflow == "load-region");
        Assert.Equal((top.RunId, "load_region"), (child.ParentRunId, child.ParentTaskId));
        Assert.Equal(RunState.Succeeded, child.State);
        var report = await WeftProcess.RunAsync(_files.Directory, "runs", "output", top.RunId, "report", "--store", Store);
        Assert.Equal("report: rows of us", report.Stdout.Trim());

        var shownParent = await WeftProcess.RunAsync(_files.Directory, "runs", "show", top.RunId, "--store", Store);
        Assert.True(shownParent.ExitCode == 0, shownParent.ToString());
        Assert.Contains($"load_region: child run {child.RunId}  load-region  succeeded", shownParent.Stdout, StringComparison.Ordinal);
        var shownChild = await WeftProcess.RunAsync(_files.Directory, "runs", "show", child.RunId, "--store", Store);
        Assert.Contains($"parent    {top.RunId} (task load_region)", shownChild.Stdout, StringComparison.Ordinal);
        var json = await WeftProcess.RunAsync(_files.Directory, "runs", "show", child.RunId, "--store", Store, "--json");
        Assert.Contains($"\"parentRunId\": \"{top.RunId}\"", json.Stdout, StringComparison.Ordinal);

        var list = await WeftProcess.RunAsync(_files.Directory, "runs", "list", "--store", Store);
        Assert.Contains($"load-region (child of {top.RunId[..12]})", list.Stdout, StringComparison.Ordinal);
        var listJson = await WeftProcess.RunAsync(_files.Directory, "runs", "list", "--store", Store, "--json");
        Assert.Contains("\"parentTaskId\": \"load_region\"", listJson.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeftValidate_RefusesACycleOfFiles_AtFileLineCol()
    {
        _files.Write("a.yaml", """
            name: a
            tasks:
              to_b: { workflow: b.yaml }
            """);
        _files.Write("b.yaml", """
            name: b
            tasks:
              to_a: { workflow: a.yaml }
            """);

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", Path.Combine(_files.Directory, "a.yaml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("b.yaml:3:21: 'workflow' in task 'to_a' makes a cycle of workflows: a.yaml → b.yaml → a.yaml", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProcessKilledWhileTheChildRuns_ResumeReattachesToTheSameChild()
    {
        _files.Write("gate.yaml", """
            name: gate
            tasks:
              approve: { wait: { signal: go } }
            """);
        var parent = _files.Write("outer.yaml", """
            name: outer
            tasks:
              gate: { workflow: gate.yaml }
              after:
                dependsOn: gate
                shell: 'echo "after {{ tasks.gate.output.approve.ok }}"'
            """);

        string parentId;
        string childId;
        using (var run = WeftProcess.Start(_files.Directory, "run", parent, "--store", Store))
        {
            (parentId, childId) = await ChildWaitingAsync();
            run.Crash();
            await run.WaitForExitAsync().WaitAsync(WeftProcess.HardTimeout);
        }

        using var resumed = WeftProcess.Start(_files.Directory, "runs", "resume", parentId, "--store", Store);
        var signal = await WeftProcess.RunAsync(_files.Directory, "runs", "signal", childId, "approve", "--data", """{"ok":"yes"}""", "--store", Store);
        Assert.True(signal.ExitCode == 0, signal.ToString());

        Assert.Equal(0, await resumed.WaitForExitAsync().WaitAsync(WeftProcess.HardTimeout));
        await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Db });
        var child = Assert.Single(await store.ListRunsAsync(new Storage.RunQuery { ParentRunId = parentId }));
        Assert.Equal((childId, RunState.Succeeded), (child.RunId, child.State));
        var after = await WeftProcess.RunAsync(_files.Directory, "runs", "output", parentId, "after", "--store", Store);
        Assert.Equal("after yes", after.Stdout.Trim());
    }

    // The parent run and its child run, once the child's 'approve' is recorded as waiting.
    private async Task<(string Parent, string Child)> ChildWaitingAsync()
    {
        var until = DateTime.UtcNow + WeftProcess.HardTimeout;
        while (DateTime.UtcNow < until)
        {
            if (File.Exists(Db))
            {
                await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Db });
                foreach (var summary in await store.ListRunsAsync(new Storage.RunQuery()))
                {
                    if (summary.ParentRunId is { } parent && (await store.GetRunAsync(summary.RunId))?.Tasks[0].State == TaskState.Waiting)
                    {
                        return (parent, summary.RunId);
                    }
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no child run waited on 'approve'");
    }
}
