using System.Text.Json.Serialization;
using Weft.Execution;

namespace Weft.Nats;

/// <summary>One attempt of one task on the task stream: what a worker needs to run it without a store.</summary>
internal sealed record TaskMessage
{
    public required string RunId { get; init; }

    public required string TaskId { get; init; }

    public required int Attempt { get; init; }

    public required string Queue { get; init; }

    /// <summary>Key of the run's definition in <see cref="NatsNames.DefinitionBucket"/>.</summary>
    public required string DefinitionHash { get; init; }

    /// <summary>Template values (<see cref="Cluster.TaskPayload"/>); null when the task uses none.</summary>
    public string? Payload { get; init; }
}

/// <summary>A worker's outcome of one attempt on the result stream.</summary>
internal sealed record OutcomeMessage
{
    public required string RunId { get; init; }

    public required string TaskId { get; init; }

    public required int Attempt { get; init; }

    public required string Worker { get; init; }

    /// <summary>The worker found the attempt redelivered: whoever held it before stopped extending its
    /// lease. The scheduler counts it as a lost worker (a new attempt, no retry used).</summary>
    public bool WorkerLost { get; init; }

    /// <summary>With <see cref="WorkerLost"/>: the worker that began the attempt, as its claim names it (null
    /// when the claim names none); <see cref="Worker"/> is the one that found it lost.</summary>
    public string? LostWorker { get; init; }

    public TaskOutcomeStatus Status { get; init; }

    public string? Output { get; init; }

    public bool OutputTruncated { get; init; }

    public string? Error { get; init; }

    public int? ExitCode { get; init; }

    public int? HttpStatus { get; init; }

    public string? Stderr { get; init; }

    public TaskOutcome ToOutcome() => new(Status)
    {
        Output = Output,
        OutputTruncated = OutputTruncated,
        Error = Error,
        ExitCode = ExitCode,
        HttpStatus = HttpStatus,
        Stderr = Stderr,
    };

    public static OutcomeMessage Of(TaskMessage task, string worker, TaskOutcome outcome) => new()
    {
        RunId = task.RunId,
        TaskId = task.TaskId,
        Attempt = task.Attempt,
        Worker = worker,
        Status = outcome.Status,
        Output = outcome.Output,
        OutputTruncated = outcome.OutputTruncated,
        Error = outcome.Error,
        ExitCode = outcome.ExitCode,
        HttpStatus = outcome.HttpStatus,
        Stderr = outcome.Stderr,
    };
}

[JsonSerializable(typeof(TaskMessage))]
[JsonSerializable(typeof(OutcomeMessage))]
[JsonSerializable(typeof(List<OutcomeMessage>))]
[JsonSerializable(typeof(WorkerRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class NatsJson : JsonSerializerContext;
