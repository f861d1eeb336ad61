using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;
using Weft.Sqlite;

namespace Weft.Storage.Tests.Sqlite;

/// <summary>An engine on a SQLite file stops in the middle of a map task; the engine that resumes the
/// run from the file runs only the instances that had not finished, and the map's output still holds
/// every element's output in order.</summary>
public sealed class MapRestartTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static readonly WorkflowDefinition Flow = new("fan",
    [
        new TaskDefinition("list", new CustomSpec("step", JsonValue.Create("[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]"))),
        new TaskDefinition("each", new CustomSpec("step", JsonValue.Create("{{ index }}={{ item }}")))
        {
            DependsOn = ["list"],
            Map = new MapSpec("{{ tasks.list.output }}") { MaxParallel = 2 },
        },
        new TaskDefinition("report", new CustomSpec("step", JsonValue.Create("{{ tasks.each.output }}"))) { DependsOn = ["each"] },
    ]);

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static WeftEngine Engine(IWeftStore store, StepHandler steps) => WeftEngine.Create(o =>
    {
        o.Store = store;
        o.Workers = 4;
        o.Retention = null;
        o.Handlers.Add(steps);
    });

    [Fact]
    public async Task ResumeAfterAStopMidMap_RunsOnlyTheUnfinishedInstances()
    {
        var before = new StepHandler(blocking: ["each[3]", "each[4]"]);
        string runId;
        await using (var store = await SqliteStore.OpenAsync(_db.Options()))
        {
            var engine = Engine(store, before);
            runId = (await engine.SubmitAsync(Flow)).RunId;
            await before.WhenStarted("each[4]").WaitAsync(Limit); // 0, 1, 2 done; 3 and 4 running; 5 not started
            await engine.StopAsync(TimeSpan.Zero);
            await engine.DisposeAsync();
        }

        var after = new StepHandler(blocking: []);
        await using var reopened = await SqliteStore.OpenAsync(_db.Options());
        await using var restarted = Engine(reopened, after);
        Assert.Equal([runId], await restarted.FindUnfinishedRunsAsync());

        var run = await (await restarted.ResumeAsync(runId)).WaitAsync().WaitAsync(Limit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["each[3]", "each[4]", "each[5]", "report"], after.Started.Order(StringComparer.Ordinal));
        Assert.Equal("""["0=a","1=b","2=c","3=d","4=e","5=f"]""", run.Tasks.Single(t => t.TaskId == "each").Output);
        Assert.Equal("""["0=a","1=b","2=c","3=d","4=e","5=f"]""", run.Tasks.Single(t => t.TaskId == "report").Output);
        var interrupted = run.Tasks.Single(t => t.TaskId == "each[3]");
        Assert.Equal(2, interrupted.Attempts);
        Assert.Equal(TaskOutcomeStatus.Interrupted, interrupted.AttemptHistory[0].Outcome);
        Assert.Equal(1, run.Tasks.Single(t => t.TaskId == "each[0]").Attempts);

        var stored = await reopened.GetRunAsync(runId);
        Assert.Equal(RunState.Succeeded, stored!.State);
        Assert.Equal(["list", "each", "report", "each[0]", "each[1]", "each[2]", "each[3]", "each[4]", "each[5]"], stored.Tasks.Select(t => t.TaskId));
    }

    /// <summary>Kind "step": renders its text; the listed task ids wait until cancelled.</summary>
    private sealed class StepHandler(string[] blocking) : ITaskHandler
    {
        private readonly ConcurrentQueue<string> _started = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _startedSignals = new();

        public string Kind => "step";

        public IReadOnlyList<string> Started => [.. _started];

        public Task WhenStarted(string taskId) => Signal(taskId).Task;

        public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
        {
            _started.Enqueue(invocation.TaskId);
            Signal(invocation.TaskId).TrySetResult();
            if (blocking.Contains(invocation.TaskId))
            {
                await Task.Delay(Timeout.Infinite, invocation.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                return TaskOutcome.Cancelled();
            }

            return TaskOutcome.Succeeded(invocation.Render(((CustomSpec)invocation.Spec).Value!.GetValue<string>()));
        }

        private TaskCompletionSource Signal(string taskId) =>
            _startedSignals.GetOrAdd(taskId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
