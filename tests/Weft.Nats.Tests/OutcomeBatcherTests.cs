using System.Collections.Concurrent;
using System.Text.Json;
using Weft.Execution;

namespace Weft.Nats.Tests;

/// <summary>How a worker's outcomes become result messages: alone and at once when nothing else is waiting,
/// several of one run per message when they end while a message is on its way, never over the size bound,
/// and a failed publish retried under the same message id.</summary>
public sealed class OutcomeBatcherTests
{
    [Fact]
    public async Task An_outcome_ending_alone_goes_alone_and_outcomes_ending_meanwhile_go_together_one_message_per_run()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var published = new ConcurrentQueue<(string Id, byte[] Data)>();
        var batcher = new OutcomeBatcher(
            async (id, data) =>
            {
                published.Enqueue((id, data));
                if (published.Count == 1)
                {
                    await first.Task; // the first message is on its way while the others end
                }
            },
            () => false,
            _ => { },
            "w1");

        var alone = batcher.StoredAsync(Outcome("run-a", "t0"));
        await EventuallyAsync(() => published.Count == 1);
        var later = new List<Task>();
        for (var i = 1; i <= 5; i++)
        {
            later.Add(batcher.StoredAsync(Outcome("run-a", $"t{i}")));
        }

        later.Add(batcher.StoredAsync(Outcome("run-b", "u1")));
        later.Add(batcher.StoredAsync(Outcome("run-b", "u2")));
        Assert.False(alone.IsCompleted); // not stored before its message is
        first.SetResult();
        await Task.WhenAll(later.Append(alone)).WaitAsync(TimeSpan.FromSeconds(30));
        batcher.Complete();
        await batcher.Loop.WaitAsync(TimeSpan.FromSeconds(30));

        var messages = published.ToList();
        Assert.Equal(3, messages.Count);
        Assert.Equal(NatsNames.OutcomeId("run-a", "t0", 1), messages[0].Id); // alone: the one-outcome format, as before batches
        Assert.Equal("t0", JsonSerializer.Deserialize(messages[0].Data, NatsJson.Default.OutcomeMessage)!.TaskId);
        var batches = messages.Skip(1).Select(m => JsonSerializer.Deserialize(m.Data, NatsJson.Default.ListOutcomeMessage)!).OrderBy(b => b[0].RunId).ToList();
        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], batches[0].Select(o => o.TaskId));
        Assert.All(batches[0], o => Assert.Equal("run-a", o.RunId));
        Assert.Equal(["u1", "u2"], batches[1].Select(o => o.TaskId));
        Assert.All(messages.Skip(1), m => Assert.StartsWith("w1-", m.Id, StringComparison.Ordinal));
        Assert.NotEqual(messages[1].Id, messages[2].Id);
    }

    [Fact]
    public async Task Large_outputs_are_split_over_messages_each_within_the_size_bound()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var published = new ConcurrentQueue<byte[]>();
        var batcher = new OutcomeBatcher(
            async (_, data) =>
            {
                published.Enqueue(data);
                if (published.Count == 1)
                {
                    await first.Task;
                }
            },
            () => false,
            _ => { },
            "w1");
        var stored = new List<Task> { batcher.StoredAsync(Outcome("run-a", "first")) };
        await EventuallyAsync(() => published.Count == 1);
        var big = new string('x', 60_000);
        for (var i = 0; i < 10; i++)
        {
            stored.Add(batcher.StoredAsync(Outcome("run-a", $"big{i}") with { Output = big }));
        }

        first.SetResult();
        await Task.WhenAll(stored).WaitAsync(TimeSpan.FromSeconds(30));

        var batches = published.Skip(1).ToList();
        Assert.True(batches.Count >= 3, $"{batches.Count} messages for 600 KB of outputs");
        Assert.All(batches, b => Assert.True(b.Length <= 256 * 1024, $"a message of {b.Length} bytes"));
        Assert.Equal(10, batches.Sum(b => b[0] == (byte)'[' ? JsonSerializer.Deserialize(b, NatsJson.Default.ListOutcomeMessage)!.Count : 1));
    }

    [Fact]
    public async Task A_publish_that_fails_is_retried_under_the_same_message_id_and_the_outcome_is_stored_only_then()
    {
        var tries = new ConcurrentQueue<string>();
        var batcher = new OutcomeBatcher(
            (id, _) =>
            {
                tries.Enqueue(id);
                return tries.Count == 1 ? Task.FromException(new TimeoutException("no answer")) : Task.CompletedTask;
            },
            () => false,
            _ => { },
            "w1");

        await batcher.StoredAsync(Outcome("run-a", "t1")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, tries.Count);
        Assert.Single(tries.Distinct());
    }

    [Fact]
    public async Task An_abandoned_worker_publishes_nothing_more_and_its_outcomes_are_not_stored()
    {
        var batcher = new OutcomeBatcher((_, _) => Task.FromException(new ObjectDisposedException("connection")), () => true, _ => { }, "w1");

        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.StoredAsync(Outcome("run-a", "t1")).WaitAsync(TimeSpan.FromSeconds(30)));
        batcher.Complete();
        await batcher.Loop.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.StoredAsync(Outcome("run-a", "t2")));
    }

    private static OutcomeMessage Outcome(string run, string task) =>
        new() { RunId = run, TaskId = task, Attempt = 1, Worker = "w1", Status = TaskOutcomeStatus.Succeeded, Output = task };

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, "timed out");
            await Task.Delay(5);
        }
    }
}
