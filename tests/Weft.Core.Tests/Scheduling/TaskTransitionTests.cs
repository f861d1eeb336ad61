using Weft.Scheduling;

namespace Weft.Tests.Scheduling;

public sealed class TaskTransitionTests
{
    [Theory]
    [InlineData(TaskState.Succeeded, TaskState.Running)]
    [InlineData(TaskState.Pending, TaskState.Running)]
    [InlineData(TaskState.Failed, TaskState.Queued)]
    [InlineData(TaskState.Queued, TaskState.Succeeded)]
    public void Move_IllegalTransition_Throws(TaskState from, TaskState to)
    {
        var slot = new TaskSlot { State = from };

        var ex = Assert.Throws<InvalidOperationException>(() => TaskTransitions.Move(ref slot, to));

        Assert.Contains("illegal task transition", ex.Message);
    }

    [Theory]
    [InlineData(TaskState.Pending, TaskState.Queued)]
    [InlineData(TaskState.Queued, TaskState.Running)]
    [InlineData(TaskState.Running, TaskState.Retrying)]
    [InlineData(TaskState.Retrying, TaskState.Queued)]
    [InlineData(TaskState.Running, TaskState.TimedOut)]
    public void Move_LegalTransition_ChangesState(TaskState from, TaskState to)
    {
        var slot = new TaskSlot { State = from };

        TaskTransitions.Move(ref slot, to);

        Assert.Equal(to, slot.State);
    }
}
