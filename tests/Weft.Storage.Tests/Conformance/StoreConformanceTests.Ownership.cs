using Microsoft.Extensions.Time.Testing;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>Run ownership (issue #11 item 7): an owner holds a run until its lease ends; it renews the
/// lease of all its runs at once; another takes the run only after the lease ended (times come from a
/// fake clock: stores have none).</summary>
public abstract partial class StoreConformanceTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(T0);

    private DateTimeOffset Now => _clock.GetUtcNow();

    private RunRecord Owned(string runId, string owner) => Run(runId, T0) with { Owner = new RunOwner(owner, Now + Lease) };

    private ValueTask<RunOwner?> Take(string runId, string owner, string? replacing = null) =>
        Store.TakeRunAsync(runId, owner, Now, Now + Lease, replacing);

    [Fact]
    public async Task TakeRun_RunWithoutOwner_IsTakenWithTheLease()
    {
        await Store.CreateRunAsync(Run("r1", T0));

        Assert.Equal(new RunOwner("A", T0 + Lease), await Take("r1", "A"));
    }

    [Fact]
    public async Task TakeRun_WhileTheOwnersLeaseRuns_IsRefusedAndNamesTheOwner()
    {
        await Store.CreateRunAsync(Owned("r1", "A"));
        _clock.Advance(TimeSpan.FromSeconds(29));

        Assert.Equal(new RunOwner("A", T0 + Lease), await Take("r1", "B"));
    }

    [Fact]
    public async Task TakeRun_OnceTheLeaseEnded_IsTaken()
    {
        await Store.CreateRunAsync(Owned("r1", "A"));
        _clock.Advance(Lease);

        Assert.Equal(new RunOwner("B", T0 + Lease + Lease), await Take("r1", "B"));
        Assert.Equal("B", (await Take("r1", "A"))!.Name); // A, back too late, does not get it again
    }

    [Fact]
    public async Task TakeRun_ByItsOwner_ExtendsTheLease()
    {
        await Store.CreateRunAsync(Owned("r1", "A"));
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(new RunOwner("A", Now + Lease), await Take("r1", "A"));
    }

    [Fact]
    public async Task TakeRun_ReplacingTheOwnerNamed_TakesOnlyFromThatOwner()
    {
        await Store.CreateRunAsync(Owned("r1", "A"));

        Assert.Equal("A", (await Take("r1", "C", replacing: "B"))!.Name);
        Assert.Equal("C", (await Take("r1", "C", replacing: "A"))!.Name);
    }

    [Fact]
    public async Task TakeRun_UnknownRun_ReturnsNull() => Assert.Null(await Take("nope", "A"));

    [Fact]
    public async Task RenewRuns_ExtendsEveryRunOfTheOwnerAndNoOther()
    {
        await Store.CreateRunAsync(Owned("r1", "A"));
        await Store.CreateRunAsync(Owned("r2", "A"));
        await Store.CreateRunAsync(Owned("r3", "B"));
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(2, await Store.RenewRunsAsync("A", Now + Lease));
        _clock.Advance(TimeSpan.FromSeconds(25)); // 35 s after submit: only the renewed leases still run

        Assert.Equal("A", (await Take("r1", "C"))!.Name);
        Assert.Equal("A", (await Take("r2", "C"))!.Name);
        Assert.Equal("C", (await Take("r3", "C"))!.Name);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("C", (await Take("r1", "C"))!.Name);
    }

    [Fact]
    public async Task FinalRun_HasNoOwnerToRenew()
    {
        await Store.CreateRunAsync(Owned("r1", "A"));
        await Store.CreateRunAsync(Owned("r2", "A"));
        await Store.WriteAsync([Finished("r1", RunState.Succeeded, T0.AddSeconds(5))]);

        Assert.Equal(1, await Store.RenewRunsAsync("A", Now + Lease));
    }

    [Fact]
    public async Task ReleaseRuns_LetsAnotherTakeThemAtOnce()
    {
        await Store.CreateRunAsync(Owned("r1", "A"));
        await Store.CreateRunAsync(Owned("r2", "B"));

        await Store.ReleaseRunsAsync("A");

        Assert.Equal("C", (await Take("r1", "C"))!.Name);
        Assert.Equal("B", (await Take("r2", "C"))!.Name);
        Assert.Equal(0, await Store.RenewRunsAsync("A", Now + Lease));
    }
}
