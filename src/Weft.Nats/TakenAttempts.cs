using System.Collections.Concurrent;

namespace Weft.Nats;

/// <summary>The attempts a worker has taken from JetStream, so that a second delivery of one is never run a
/// second time there. JetStream delivers a task again when its lease lapses while a loaded worker still runs
/// it (the delivery waited in the client longer than the ack wait), and nats-server 2.9 can deliver a message
/// again with its delivery count back at 1 (nats.net.v1#812, nats-server#5346): the delivery count alone
/// cannot say whether this worker already has the attempt.</summary>
internal sealed class TakenAttempts(TimeProvider time)
{
    // Long past any lease and redelivery: a copy of an attempt older than this is reported as lost again,
    // which the scheduler drops (the attempt was replaced long ago).
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(10);

    // Attempt id to whether it still runs here.
    private readonly ConcurrentDictionary<string, bool> _taken = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Attempt, long At)> _ended = new();

    /// <summary>True the first time this worker gets <paramref name="attempt"/>; it then runs here.</summary>
    public bool TryTake(string attempt) => _taken.TryAdd(attempt, true);

    /// <summary>Whether <paramref name="attempt"/> is running here now (its first delivery's lease is extended).</summary>
    public bool IsRunning(string attempt) => _taken.TryGetValue(attempt, out var running) && running;

    /// <summary>Its outcome is stored in JetStream and its delivery acked: a later copy is spent.</summary>
    public void Ended(string attempt)
    {
        var now = time.GetTimestamp();
        _taken[attempt] = false;
        _ended.Enqueue((attempt, now));
        while (_ended.TryPeek(out var oldest) && time.GetElapsedTime(oldest.At, now) > Memory && _ended.TryDequeue(out oldest))
        {
            _taken.TryRemove(new KeyValuePair<string, bool>(oldest.Attempt, false));
        }
    }

    /// <summary>Its outcome could not be reported: a later delivery must be able to report it lost.</summary>
    public void Release(string attempt) => _taken.TryRemove(attempt, out _);
}
