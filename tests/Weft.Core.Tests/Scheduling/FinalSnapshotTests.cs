using System.Runtime.CompilerServices;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

/// <summary>The snapshot a finished run's waiters get: its tasks are built when read and not kept, so
/// walking the tasks of a very large run once does not leave a snapshot of each behind it for as long
/// as the run stays in memory (a million-task run's waiter that counted its tasks kept a third of a
/// gigabyte).</summary>
public sealed class FinalSnapshotTests
{
    [Fact]
    public async Task FinishedRun_TasksReadFromItsSnapshot_AreNotKeptByIt_AndReadTheSameEachTime()
    {
        await using var h = new EngineHarness(2);
        var run = await h.RunAsync(EngineHarness.Flow(Def("a"), Def("b", "a")));

        var read = ReadEveryTask(run);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(read, r => Assert.False(r.IsAlive, "a task snapshot read once is still held by the run's snapshot"));
        Assert.Equal(run.Tasks[1].TaskId, run.Tasks[1].TaskId);
        Assert.Equal(["a", "b"], run.Tasks.Select(t => t.TaskId));
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        Assert.Equal(run.Tasks[0].FinishedAt, run.Tasks[0].FinishedAt);
        Assert.Equal(1, Assert.Single(run.Tasks[1].AttemptHistory).Number);
    }

    // Not inlined, so no reference to what was read outlives it in the caller's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference[] ReadEveryTask(RunSnapshot run) => [.. run.Tasks.Select(t => new WeakReference(t))];
}
