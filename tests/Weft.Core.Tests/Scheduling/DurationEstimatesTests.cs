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
