using Weft.Definitions;
using Weft.Execution;
using Weft.Storage;
using Weft.Tests.Recovery;
using Weft.Tests.Scheduling;
using static Weft.Tests.Mapping.EchoHandler;

namespace Weft.Tests.Mapping;

/// <summary>A process that dies in the middle of a map task (its store stops taking writes, nothing is
/// recorded as interrupted): the engine that resumes the run records the running instance's attempt
/// interrupted and runs it again, runs the instances never started, and never reruns a finished one.</summary>
public sealed class MapResumeTests
{
    private static WeftEngine Engine(IWeftStore store, EchoHandler echo) => WeftEngine.Create(o =>
    {
        o.Workers = 4;
        o.Store = store;
        o.Handlers.Add(echo);
    });

    [Fact]
    public async Task ResumeAfterACrashMidMap_RerunsOnlyUnfinishedInstances()
    {
        var shared = new MemoryStore();
        var flow = EngineHarness.Flow(
            Def("list", "[10, 20, 30, 40]"),
            Def("each", "{{ index }}:{{ item }}", "list") with { Map = new MapSpec("{{ tasks.list.output }}") { MaxParallel = 2 } });
        var before = new EchoHandler();
        before.On("each[2]", async inv =>
        {
            await Task.Delay(Timeout.Infinite, inv.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return TaskOutcome.Cancelled();
        });
        var crashing = new CrashableStore(shared);
        var twoStarted = crashing.WhenCommitted(c => c is { Kind: StoreChangeKind.Attempt, TaskId: "each[2]", Outcome: null });
        // Both first instances recorded finished before the crash: each[2] starts once either one ends, so
        // waiting for each[1] alone let the crash come before each[0]'s end was committed (then rerunning
        // each[0] is right, and the test failed on it).
        var zeroDone = crashing.WhenCommitted(c => c is { Kind: StoreChangeKind.Task, TaskId: "each[0]", TaskState: TaskState.Succeeded });
        var oneDone = crashing.WhenCommitted(c => c is { Kind: StoreChangeKind.Task, TaskId: "each[1]", TaskState: TaskState.Succeeded });
        string runId;
        await using (var first = Engine(crashing, before))
        {
            runId = (await first.SubmitAsync(flow)).RunId;
            await Task.WhenAll(twoStarted, zeroDone, oneDone).WaitAsync(EngineHarness.HardLimit);
            crashing.Crash();
        }

        var after = new EchoHandler();
        await using var second = Engine(new CrashableStore(shared), after);
        var run = await (await second.ResumeAsync(runId)).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.DoesNotContain(after.Started, s => s.TaskId is "list" or "each[0]" or "each[1]");
        Assert.Contains(after.Started, s => s.TaskId == "each[2]");
        Assert.Equal("""["0:10","1:20","2:30","3:40"]""", run.Tasks.Single(t => t.TaskId == "each").Output);
        var interrupted = run.Tasks.Single(t => t.TaskId == "each[2]");
        Assert.Equal(TaskOutcomeStatus.Interrupted, interrupted.AttemptHistory[0].Outcome);
        Assert.Equal(2, interrupted.Attempts);
    }
}
