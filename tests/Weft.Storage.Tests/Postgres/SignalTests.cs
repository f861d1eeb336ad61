using Weft.Cluster;
using Weft.Postgres;
using static Weft.Storage.Tests.Postgres.PgSamples;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Postgres;

/// <summary>LISTEN/NOTIFY between two store instances (two processes, as far as PostgreSQL can tell).
/// Waits that must wake have a generous timeout and must return true; waits that must not wake are short.</summary>
public sealed class SignalTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    private readonly PostgresSchema _schema = new();
    private PostgresStore _waiter = null!;
    private PostgresStore _raiser = null!;

    public async Task InitializeAsync()
    {
        _waiter = await _schema.OpenAsync();
        _raiser = await PostgresStore.OpenAsync(await _schema.OptionsAsync());
        await _waiter.WhenListeningAsync();
    }

    public async Task DisposeAsync()
    {
        await _waiter.DisposeAsync();
        await _raiser.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [Fact]
    public async Task SignalFromAnotherInstance_WakesAWaitingWaiter()
    {
        var waiting = _waiter.WaitForSignalAsync(ClusterSignal.TasksCompleted, Long).AsTask();

        await _raiser.SignalAsync(ClusterSignal.TasksCompleted);

        Assert.True(await waiting);
    }

    [Fact]
    public async Task EnqueueWrite_RaisesTasksQueued_RunFinal_RaisesRunFinished_CreateRun_RaisesRunSubmitted()
    {
        await _raiser.CreateRunAsync(Run("r1", T0));
        Assert.True(await _waiter.WaitForSignalAsync(ClusterSignal.RunSubmitted, Long));

        await _raiser.WriteAsync([Enqueue("r1", "a")]);
        Assert.True(await _waiter.WaitForSignalAsync(ClusterSignal.TasksQueued, Long));

        await _raiser.WriteAsync([Finished("r1", RunState.Succeeded, T0.AddMinutes(1))]);
        Assert.True(await _waiter.WaitForSignalAsync(ClusterSignal.RunFinished, Long));
    }

    [Fact]
    public async Task SignalRaisedWhileNobodyWaited_IsKeptOnce()
    {
        await _raiser.SignalAsync(ClusterSignal.TasksQueued);
        await _raiser.SignalAsync(ClusterSignal.TasksQueued);
        await _raiser.SignalAsync(ClusterSignal.RunFinished); // delivered after both (one session's notifications keep their order)
        Assert.True(await _waiter.WaitForSignalAsync(ClusterSignal.RunFinished, Long));

        Assert.True(await _waiter.WaitForSignalAsync(ClusterSignal.TasksQueued | ClusterSignal.RunSubmitted, Long));
        Assert.False(await _waiter.WaitForSignalAsync(ClusterSignal.TasksQueued, Short));
    }

    [Fact]
    public async Task OtherSignals_DoNotWake_AndTimeoutReturnsFalse()
    {
        await _raiser.WriteAsync([RunChange("nobody", RunState.Running)]);
        await _raiser.SignalAsync(ClusterSignal.RunFinished);

        Assert.False(await _waiter.WaitForSignalAsync(ClusterSignal.TasksCompleted, Short));
        Assert.True(await _waiter.WaitForSignalAsync(ClusterSignal.RunFinished, Long));
    }

    [Fact]
    public async Task AnotherSchema_DoesNotWakeThisOne()
    {
        await using var otherSchema = new PostgresSchema();
        await using var other = await otherSchema.OpenAsync();

        await other.SignalAsync(ClusterSignal.TasksQueued);
        await _raiser.SignalAsync(ClusterSignal.RunSubmitted); // the marker: once it arrives, the other would have too

        Assert.True(await _waiter.WaitForSignalAsync(ClusterSignal.RunSubmitted, Long));
        Assert.False(await _waiter.WaitForSignalAsync(ClusterSignal.TasksQueued, Short));
    }
}
