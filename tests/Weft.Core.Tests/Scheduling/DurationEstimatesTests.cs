using Weft.Definitions;
using Weft.Planning;
using Weft.Scheduling;

namespace Weft.Tests.Scheduling;

public sealed class DurationEstimatesTests
{
    private static WorkflowDefinition Flow(string name, params string[] ids) =>
        new(name, [.. ids.Select(id => new TaskDefinition(id, NoopSpec.Instance))]);

    [Fact]
    public void For_NothingRecorded_GivesNoWeights()
    {
        var estimates = new DurationEstimates();

        var (recorder, weights) = estimates.For(Flow("w", "a", "b"));

        Assert.NotNull(recorder);
        Assert.Null(weights);
    }

    [Fact]
    public void Record_MovingAverage_ByWorkflowNameAndTaskId()
    {
        var estimates = new DurationEstimates();
        var (recorder, _) = estimates.For(Flow("w", "a", "b"));
        recorder!.Record(1, TimeSpan.FromSeconds(10));
        recorder.Record(1, TimeSpan.FromSeconds(20));

        // Another definition of the same workflow, tasks in another order and one new: matched by id.
        var (_, weights) = estimates.For(Flow("w", "c", "b"));
        var (_, other) = estimates.For(Flow("x", "b"));

        Assert.NotNull(weights);
        Assert.True(double.IsNaN(weights[0]));
        Assert.Equal(13_000, weights[1], precision: 6); // 10 s, then 30 % of the way to 20 s
        Assert.Null(other);
    }

    [Fact]
    public void For_SameWorkflowAgain_GrownAtItsEnd_ThenReordered_FindsWhatWasLearnedByTaskId()
    {
        var estimates = new DurationEstimates();
        var (first, _) = estimates.For(Flow("w", "a", "b"));
        first!.Record(1, TimeSpan.FromSeconds(4));
        first.Record(0, TimeSpan.FromSeconds(1));

        var (grown, grownWeights) = estimates.For(Flow("w", "a", "b", "c"));
        grown!.Record(2, TimeSpan.FromSeconds(9));
        var (_, reordered) = estimates.For(Flow("w", "c", "b", "a"));

        Assert.Equal(4_000, grownWeights![1], precision: 6);
        Assert.True(double.IsNaN(grownWeights[2]));
        Assert.Equal([9_000, 4_000, 1_000], reordered!.Take(3));
    }

    [Fact]
    public void Compile_Weights_ReplaceTheStaticEstimateWhereKnown()
    {
        var flow = new WorkflowDefinition("w",
        [
            new TaskDefinition("a", NoopSpec.Instance),
            new TaskDefinition("nap", new SleepSpec(TimeSpan.FromSeconds(2))) { DependsOn = ["a"] },
            new TaskDefinition("b", NoopSpec.Instance),
        ]);

        var plan = ExecutionPlan.Compile(flow, [500, double.NaN, 0.2]);

        Assert.Equal([2_500, 2_000, 1], plan.RemainingPath); // measured a; static sleep; at least 1 for b
    }
}
