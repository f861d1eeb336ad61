using System.Text.Json;
using System.Threading.Channels;

namespace Weft.Nats;

/// <summary>Stores a worker's outcomes in the result stream, several of one run per message when they end
/// while the previous message is on its way: every stored message costs the NATS server a write, a delivery
/// to the scheduler and an ack, and on a 2-core machine the server's share of each task is W1's limit. An
/// outcome that ends alone goes alone and at once (a chain waits for nothing), in the one-outcome format
/// with the attempt's id as its message id, as before batches.
///
/// <para>A batch is a JSON array of <see cref="OutcomeMessage"/> of one run (the scheduler takes a message in
/// or defers it whole, by its run), under a message id of its own, so a publish retried after a lost answer
/// is a duplicate JetStream drops. <see cref="StoredAsync"/> returns once the outcome's message is stored:
/// only then may the worker ack the task.</para></summary>
internal sealed class OutcomeBatcher
{
    // At most this many outcomes, and about this many bytes, per message (NATS refuses a message over its
    // max_payload, 1 MB by default; outputs are bounded but can be tens of kilobytes each).
    private const int MaxOutcomes = 128;
    private const int MaxBytes = 256 * 1024;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<string, byte[], Task> _publish;
    private readonly Func<bool> _abandoned;
    private readonly Action<string> _log;
    private readonly string _batchPrefix;
    private long _batches;

    /// <param name="publish">Stores one message under a message id (retried here until stored).</param>
    /// <param name="abandoned">True once the worker leaves as a killed one would: nothing more is published.</param>
    /// <param name="log">Where a failed publish is told (it is retried).</param>
    /// <param name="worker">The worker's name, in batch message ids with a token unique to this process.</param>
    public OutcomeBatcher(Func<string, byte[], Task> publish, Func<bool> abandoned, Action<string> log, string worker)
    {
        _publish = publish;
        _abandoned = abandoned;
        _log = log;
        _batchPrefix = $"{worker}-{Guid.NewGuid():N}-";
        Loop = Task.Run(LoopAsync);
    }

    /// <summary>Ends once <see cref="Complete"/> was called and every outcome given before it is settled.</summary>
    public Task Loop { get; }

    /// <summary>Completes when <paramref name="outcome"/> is stored in the result stream; faults when the worker
    /// was abandoned first.</summary>
    public Task StoredAsync(OutcomeMessage outcome)
    {
        var pending = new Pending(outcome, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Stored.SetException(new ObjectDisposedException(nameof(OutcomeBatcher), "the worker stopped publishing outcomes"));
        }

        return pending.Stored.Task;
    }

    /// <summary>No more outcomes come (every attempt of the worker has ended).</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task LoopAsync()
    {
        var taken = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            taken.Clear();
            while (taken.Count < MaxOutcomes * 4 && _queue.Reader.TryRead(out var pending))
            {
                taken.Add(pending);
            }

            // The messages of one round are published together; outcomes ending meanwhile form the next round.
            await Task.WhenAll(Messages(taken).Select(PublishAsync)).ConfigureAwait(false);
        }
    }

    /// <summary>The round's outcomes as messages: by run, each at most <see cref="MaxOutcomes"/> outcomes and
    /// about <see cref="MaxBytes"/> bytes (one larger outcome goes alone).</summary>
    private IEnumerable<(string Id, byte[] Data, List<Pending> Outcomes)> Messages(List<Pending> taken)
    {
        foreach (var run in taken.GroupBy(p => p.Outcome.RunId, StringComparer.Ordinal))
        {
            var outcomes = new List<Pending>();
            var parts = new List<byte[]>();
            var bytes = 0;
            foreach (var pending in run)
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(pending.Outcome, NatsJson.Default.OutcomeMessage);
                if (outcomes.Count > 0 && (outcomes.Count == MaxOutcomes || bytes + json.Length > MaxBytes))
                {
                    yield return Message(outcomes, parts);
                    outcomes = [];
                    parts = [];
                    bytes = 0;
                }

                outcomes.Add(pending);
                parts.Add(json);
                bytes += json.Length + 1;
            }

            yield return Message(outcomes, parts);
        }
    }

    private (string Id, byte[] Data, List<Pending> Outcomes) Message(List<Pending> outcomes, List<byte[]> parts)
    {
        if (outcomes.Count == 1)
        {
            var only = outcomes[0].Outcome;
            return (NatsNames.OutcomeId(only.RunId, only.TaskId, only.Attempt), parts[0], outcomes);
        }

        var data = new byte[parts.Sum(p => p.Length) + parts.Count + 1];
        var at = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            data[at++] = i == 0 ? (byte)'[' : (byte)',';
            parts[i].CopyTo(data, at);
            at += parts[i].Length;
        }

        data[at] = (byte)']';
        return (_batchPrefix + Interlocked.Increment(ref _batches).ToString(System.Globalization.CultureInfo.InvariantCulture), data, outcomes);
    }

    /// <summary>Until JetStream has stored it (a duplicate counts as stored), then its outcomes are stored.</summary>
    private async Task PublishAsync((string Id, byte[] Data, List<Pending> Outcomes) message)
    {
        var retry = new Backoff();
        while (true)
        {
            try
            {
                await _publish(message.Id, message.Data).ConfigureAwait(false);
                foreach (var pending in message.Outcomes)
                {
                    pending.Stored.TrySetResult();
                }

                return;
            }
            catch (Exception ex) when (!_abandoned() && ex is not ObjectDisposedException)
            {
                _log($"publishing the outcome message {message.Id} ({message.Outcomes.Count} outcomes) failed ({ex.Message}); retrying");
                await retry.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var pending in message.Outcomes)
                {
                    pending.Stored.TrySetException(ex);
                }

                return;
            }
        }
    }

    private sealed record Pending(OutcomeMessage Outcome, TaskCompletionSource Stored);
}
