using System.Text;

namespace Weft.Nats;

/// <summary>The JetStream streams, subjects, consumers and buckets a Weft cluster uses on NATS, under the
/// cluster's <see cref="NatsTransport.Prefix"/>. One subject per <c>queue:</c> so the workers serving a queue
/// share one durable consumer of it.
///
/// <para>Without a prefix the names are the fixed ones of before (<c>WEFT_TASKS</c>, <c>weft.tasks.&lt;queue&gt;</c>,
/// <c>weft-claims</c>…), so a cluster keeps its streams. With prefix <c>p</c> each name carries it where the
/// name has room for it: <c>WEFT_p_TASKS</c>, <c>weft.p.tasks.&lt;queue&gt;</c>, <c>weft-p-claims</c>. Every name
/// of one kind ends in that kind's own suffix, and no suffix ends another, so a prefixed name never equals
/// another prefix's name, nor an unprefixed one, nor a name of another kind; and no subject of one prefix
/// matches another's (the prefix <c>tasks</c> is refused: its <c>weft.tasks.results</c> would be the unprefixed
/// cluster's task subject of a queue named <c>results</c>).</para></summary>
internal sealed class NatsNames
{
    /// <summary>The longest prefix: names stay short enough for every NATS limit and for a human eye.</summary>
    public const int MaxPrefixLength = 32;

    /// <summary>The names of before: no prefix.</summary>
    public static readonly NatsNames Unprefixed = new("");

    public NatsNames(string prefix)
    {
        if (ProblemWith(prefix) is { } problem)
        {
            throw new ArgumentException(problem, nameof(prefix));
        }

        Prefix = prefix;
        var dotted = prefix.Length == 0 ? "weft." : $"weft.{prefix}.";
        var dashed = prefix.Length == 0 ? "weft-" : $"weft-{prefix}-";
        var stream = prefix.Length == 0 ? "WEFT_" : $"WEFT_{prefix}_";
        TaskStream = stream + "TASKS";
        ResultStream = stream + "RESULTS";
        TaskSubjectPrefix = dotted + "tasks.";
        ResultSubject = dotted + "results";
        CancelSubject = dotted + "cancel";
        SchedulerConsumer = dashed + "scheduler";
        WorkerConsumerPrefix = dashed + "queue-";
        DefinitionBucket = dashed + "definitions";
        ClaimBucket = dashed + "claims";
        WorkerBucket = dashed + "workers";
    }

    public string Prefix { get; }

    /// <summary>Work-queue stream of started tasks: a message is one attempt, removed once a worker acks it.</summary>
    public string TaskStream { get; }

    /// <summary>Work-queue stream of outcomes, consumed by the scheduler only.</summary>
    public string ResultStream { get; }

    public string ResultSubject { get; }

    public string SchedulerConsumer { get; }

    /// <summary>Core NATS subject (not stored) on which the scheduler announces a cancelled run's id to every worker.</summary>
    public string CancelSubject { get; }

    /// <summary>Key-value bucket of workflow definitions by content hash, read by workers once per hash.</summary>
    public string DefinitionBucket { get; }

    /// <summary>Key-value bucket of attempt claims: a worker creates an attempt's key before it runs it, so
    /// a second delivery of the attempt to any worker finds it (the delivery count alone cannot tell).</summary>
    public string ClaimBucket { get; }

    /// <summary>Key-value bucket of worker records (<see cref="NatsWorkerDirectory"/>): who serves, and who stopped
    /// heartbeating.</summary>
    public string WorkerBucket { get; }

    /// <summary>The task stream's subjects: every queue's.</summary>
    public string TaskSubjects => TaskSubjectPrefix + "*";

    /// <summary>Every stream the cluster's names make; a key-value bucket is the stream <c>KV_&lt;bucket&gt;</c>.</summary>
    public IReadOnlyList<string> Streams => [TaskStream, ResultStream, "KV_" + DefinitionBucket, "KV_" + ClaimBucket, "KV_" + WorkerBucket];

    private string TaskSubjectPrefix { get; }

    private string WorkerConsumerPrefix { get; }

    public string TaskSubject(string queue) => TaskSubjectPrefix + Token(queue);

    public string WorkerConsumer(string queue) => WorkerConsumerPrefix + Token(queue);

    /// <summary>Null when <paramref name="prefix"/> can name a cluster's streams, subjects, consumers and buckets
    /// (empty, or up to <see cref="MaxPrefixLength"/> letters, digits, '-' and '_', not <c>tasks</c>), else why not.</summary>
    public static string? ProblemWith(string? prefix)
    {
        if (prefix is null)
        {
            return "a NATS name prefix cannot be null (empty is none)";
        }

        if (prefix.Length > MaxPrefixLength || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return $"'{prefix}' is not a NATS name prefix: use at most {MaxPrefixLength} letters, digits, '-' and '_'";
        }

        if (prefix == "tasks")
        {
            return "'tasks' is not a NATS name prefix: its subjects (weft.tasks.results, weft.tasks.cancel) are those of the unprefixed cluster's queues 'results' and 'cancel'";
        }

        return null;
    }

    /// <summary>An attempt's key in <see cref="ClaimBucket"/>: its <see cref="OutcomeId"/> in hex (run and task
    /// ids may hold characters a key may not).</summary>
    public static string ClaimKey(string runId, string taskId, int attempt) =>
        Convert.ToHexString(Encoding.UTF8.GetBytes(OutcomeId(runId, taskId, attempt)));

    /// <summary>A worker's key in <see cref="WorkerBucket"/>: its name in hex (a name may hold characters a key may not).</summary>
    public static string WorkerKey(string name) => Convert.ToHexString(Encoding.UTF8.GetBytes(name));

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
