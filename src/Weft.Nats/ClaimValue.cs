using System.Globalization;
using System.Text;

namespace Weft.Nats;

/// <summary>What an attempt's claim in the claims bucket says ("{worker} {token} lease={ms}"): who began the
/// attempt, a token unique to that try, and how long the holder's lease is. The holder writes the claim again
/// while the attempt runs (at most a third of its lease apart), so a claim written within the holder's lease
/// says the attempt still runs there.</summary>
// Why it matters: nats-server 2.9 hands a delivery out again after it restarts, to any worker, while the worker
// that has it still runs it. Reporting that attempt lost would run the task a second time; the claim's age tells
// a holder that still works from one that stopped. Claims written by an older Weft ("name token") carry no lease
// and are never taken as still held, as before.
internal readonly record struct ClaimValue(string Holder, bool StillHeld)
{
    private const string LeasePrefix = "lease=";

    // The scheduler's claim on a cancelled run's attempt that no worker began: no worker may begin it now.
    private const string SchedulerPrefix = "scheduler:";

    /// <summary>No claim there to read (or none a worker holds).</summary>
    public static readonly ClaimValue None = new("", StillHeld: false);

    /// <summary>The claim the scheduler writes on an attempt of a cancelled run so that no worker begins it.</summary>
    public static byte[] CancelledByScheduler() => Encoding.UTF8.GetBytes(SchedulerPrefix + " run cancelled");

    /// <summary>The claim this worker writes for one try at an attempt.</summary>
    public static byte[] For(string worker, TimeSpan lease) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{worker} {Guid.NewGuid():N} {LeasePrefix}{(long)lease.TotalMilliseconds}"));

    /// <summary>Reads a claim that is not this try's, last written at <paramref name="writtenAt"/> (the NATS
    /// server's clock) and read at <paramref name="now"/> (this worker's).</summary>
    public static ClaimValue Read(ReadOnlySpan<byte> value, DateTimeOffset writtenAt, DateTimeOffset now)
    {
        // Read from the end: a worker's name may hold spaces. "scheduler: run cancelled" is the scheduler's claim
        // on an attempt no worker may begin: held by no worker.
        var text = Encoding.UTF8.GetString(value);
        var lastSpace = text.LastIndexOf(' ');
        var last = text[(lastSpace + 1)..];
        if (!last.StartsWith(LeasePrefix, StringComparison.Ordinal)
            || !long.TryParse(last.AsSpan(LeasePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var leaseMs))
        {
            return new ClaimValue(HolderBefore(text, lastSpace), StillHeld: false);
        }

        var withoutLease = text[..lastSpace];
        return new ClaimValue(HolderBefore(withoutLease, withoutLease.LastIndexOf(' ')), StillHeld: now - writtenAt < TimeSpan.FromMilliseconds(leaseMs));
    }

    // The name before the try's token; none when the claim is not a worker's.
    private static string HolderBefore(string text, int tokenSpace) =>
        tokenSpace > 0 && !text.StartsWith(SchedulerPrefix, StringComparison.Ordinal) ? text[..tokenSpace] : "";

    /// <summary>How long the holder waits before writing its claim again: a third of its lease, so a claim
    /// stays younger than the lease through a missed write or two.</summary>
    public static TimeSpan RewriteAfter(TimeSpan lease) => lease / 3;
}
