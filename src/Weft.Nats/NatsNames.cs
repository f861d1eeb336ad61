using System.Text;

namespace Weft.Nats;

/// <summary>The JetStream streams, subjects, consumers and bucket a Weft cluster uses on NATS. One
/// subject per <c>queue:</c> so the workers serving a queue share one durable consumer of it.</summary>
internal static class NatsNames
{
    /// <summary>Work-queue stream of started tasks: a message is one attempt, removed once a worker acks it.</summary>
    public const string TaskStream = "WEFT_TASKS";

    /// <summary>Work-queue stream of outcomes, consumed by the scheduler only.</summary>
    public const string ResultStream = "WEFT_RESULTS";

    public const string ResultSubject = "weft.results";

    public const string SchedulerConsumer = "weft-scheduler";

    /// <summary>Core NATS subject (not stored) on which the scheduler announces a cancelled run's id to every worker.</summary>
    public const string CancelSubject = "weft.cancel";

    /// <summary>Key-value bucket of workflow definitions by content hash, read by workers once per hash.</summary>
    public const string DefinitionBucket = "weft-definitions";

    /// <summary>Key-value bucket of attempt claims: a worker creates an attempt's key before it runs it, so
    /// a second delivery of the attempt to any worker finds it (the delivery count alone cannot tell).</summary>
    public const string ClaimBucket = "weft-claims";

    /// <summary>An attempt's key in <see cref="ClaimBucket"/>: its <see cref="OutcomeId"/> in hex (run and task
    /// ids may hold characters a key may not).</summary>
    public static string ClaimKey(string runId, string taskId, int attempt) =>
        Convert.ToHexString(Encoding.UTF8.GetBytes(OutcomeId(runId, taskId, attempt)));

    /// <summary>Key-value bucket of worker records (<see cref="NatsWorkerDirectory"/>): who serves, and who stopped
    /// heartbeating.</summary>
    public const string WorkerBucket = "weft-workers";

    /// <summary>A worker's key in <see cref="WorkerBucket"/>: its name in hex (a name may hold characters a key may not).</summary>
    public static string WorkerKey(string name) => Convert.ToHexString(Encoding.UTF8.GetBytes(name));

    public static string TaskSubject(string queue) => "weft.tasks." + Token(queue);

    public static string WorkerConsumer(string queue) => "weft-queue-" + Token(queue);

    /// <summary>The id JetStream deduplicates an outcome by: one per attempt.</summary>
    public static string OutcomeId(string runId, string taskId, int attempt) => $"{runId}/{taskId}/{attempt}";

    /// <summary>A queue name as one subject token and consumer name: letters, digits, '-' and '_' are kept,
    /// anything else ('.', '*', '>', spaces, non-ASCII) becomes '~' and its UTF-8 bytes in hex, so two
    /// queue names never share a subject.</summary>
    public static string Token(string queue)
    {
        var text = new StringBuilder(queue.Length);
        foreach (var b in Encoding.UTF8.GetBytes(queue))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                text.Append(c);
            }
            else
            {
                text.Append('~').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
