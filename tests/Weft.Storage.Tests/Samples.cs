using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Storage.Tests;

/// <summary>Definitions, runs and changes the store tests share.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string SecretValue = "hunter2-very-secret-token";

    /// <summary>a → b → c, plus a secret and a plain parameter.</summary>
    public static WorkflowDefinition Flow(string name = "etl") => new(name,
    [
        new TaskDefinition("a", new ShellSpec("echo a")),
        new TaskDefinition("b", new HttpSpec("GET", "https://example.test/b")) { DependsOn = ["a"] },
        new TaskDefinition("c", NoopSpec.Instance) { DependsOn = ["b"] },
    ])
    {
        Params = [new ParamDefinition("region") { Default = "eu" }, new ParamDefinition("token") { Secret = true }],
    };

    /// <summary>Every field DefinitionJson writes, away from its default.</summary>
    public static WorkflowDefinition Rich() => new("rich",
    [
        new TaskDefinition("sh", new ShellSpec("make") { Args = ["-j", "4"], WorkDir = "/src", Env = new Dictionary<string, string> { ["CC"] = "clang" } })
        {
            Timeout = TimeSpan.FromMilliseconds(1500),
            Retry = new RetryPolicy
            {
                Strategy = RetryStrategy.Exponential, MaxAttempts = 4, Delay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30),
                Multiplier = 3, Jitter = true,
                RetryOn = [new(RetryConditionKind.ExitCode, 75), new(RetryConditionKind.HttpStatusClass, 5), new(RetryConditionKind.Timeout)],
            },
            Priority = TaskPriority.High,
            Deadline = DeadlineSpec.AfterSubmit(TimeSpan.FromSeconds(90)),
        },
        new TaskDefinition("web", new HttpSpec("POST", "https://example.test/x?a=1&b=2")
        {
            Headers = new Dictionary<string, string> { ["Accept"] = "application/json" }, Body = "{\"k\":1}", ExpectStatus = [200, 201],
            Timeout = TimeSpan.FromMilliseconds(250),
        }) { DependsOn = ["sh"], Trigger = TriggerRule.AllDone },
        new TaskDefinition("fn", new FunctionSpec("resize") { With = new JsonObject { ["width"] = 640 } }) { DependsOn = ["sh"] },
        new TaskDefinition("nap", new SleepSpec(TimeSpan.FromMilliseconds(10))) { Deadline = DeadlineSpec.AtTime(new DateTimeOffset(2026, 3, 1, 6, 30, 0, TimeSpan.FromHours(2))) },
        new TaskDefinition("nothing", NoopSpec.Instance) { Trigger = TriggerRule.NoneFailed, Priority = TaskPriority.Low },
        new TaskDefinition("box", new CustomSpec("container", new JsonObject { ["image"] = "alpine" })),
    ])
    {
        Description = "every field",
        Deadline = DeadlineSpec.AfterSubmit(TimeSpan.FromHours(1)),
        Params = [new ParamDefinition("p") { Default = "x", Description = "a param", Required = true, Secret = true }],
    };

    public static RunRecord Run(string id, DateTimeOffset submittedAt, WorkflowDefinition? definition = null, string token = SecretValue) =>
        new(id, definition ?? Flow(), new Dictionary<string, string> { ["region"] = "us", ["token"] = token }, submittedAt);

    public static StoreChange RunChange(string runId, RunState state, DateTimeOffset? started = null, DateTimeOffset? finished = null) =>
        new() { Kind = StoreChangeKind.Run, RunId = runId, RunState = state, StartedAt = started, FinishedAt = finished };

    public static StoreChange TaskChange(string runId, string taskId, TaskState state, int attempts = 1) =>
        new() { Kind = StoreChangeKind.Task, RunId = runId, TaskId = taskId, TaskState = state, Attempt = attempts, StartedAt = T0 };

    public static StoreChange AttemptChange(string runId, string taskId, int attempt, TaskOutcomeStatus? outcome = null, string? output = null) =>
        new()
        {
            Kind = StoreChangeKind.Attempt,
            RunId = runId,
            TaskId = taskId,
            Attempt = attempt,
            Outcome = outcome,
            Output = output,
            StartedAt = T0.AddSeconds(attempt),
            FinishedAt = outcome is null ? null : T0.AddSeconds(attempt).AddMilliseconds(500),
        };

    /// <summary>A run finished at <paramref name="finished"/> in <paramref name="state"/>.</summary>
    public static StoreChange Finished(string runId, RunState state, DateTimeOffset finished) => RunChange(runId, state, finished.AddMinutes(-1), finished);
}
