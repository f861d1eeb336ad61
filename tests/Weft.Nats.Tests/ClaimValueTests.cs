using System.Text;

namespace Weft.Nats.Tests;

/// <summary>How a worker reads another's claim on an attempt: whose it is, and whether that worker still runs it.</summary>
public sealed class ClaimValueTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_claim_written_within_its_holders_lease_is_still_held_and_one_older_is_not()
    {
        var claim = ClaimValue.For("w 2", TimeSpan.FromSeconds(15)); // a name may hold a space

        Assert.Equal(new ClaimValue("w 2", StillHeld: true), ClaimValue.Read(claim, Now - TimeSpan.FromSeconds(14.9), Now));
        Assert.Equal(new ClaimValue("w 2", StillHeld: false), ClaimValue.Read(claim, Now - TimeSpan.FromSeconds(15), Now));
    }

    [Fact]
    public void A_claim_of_an_older_weft_and_the_schedulers_claim_on_a_cancelled_run_are_never_held()
    {
        Assert.Equal(new ClaimValue("w1", StillHeld: false), ClaimValue.Read(Encoding.UTF8.GetBytes($"w1 {Guid.NewGuid():N}"), Now, Now));
        Assert.Equal(new ClaimValue("", StillHeld: false), ClaimValue.Read("scheduler: run cancelled"u8, Now, Now));
        Assert.Equal(new ClaimValue("", StillHeld: false), ClaimValue.Read("lease=oops"u8, Now, Now));
    }

    [Fact]
    public void The_holder_writes_its_claim_again_every_third_of_its_lease()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), ClaimValue.RewriteAfter(TimeSpan.FromSeconds(30)));
    }
}
