using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>Every duration a workflow gives, and the longest wait its retry backoff reaches, is at most
/// <see cref="Durations.Maximum"/> (365 days): longer ones are refused at their place, naming the field
/// and the maximum, so none reaches a timer (whose platform limit is about 49.7 days) or overflows a time.</summary>
public sealed class DurationLimitTests
{
    [Fact]
    public void Parse_TimeoutOverTheMaximum_RefusedAtItsPlace()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                shell: echo
                timeout: 400d
            """, 5, 14);

        Assert.Equal("'timeout' 400d is longer than the maximum of 365d in task 'x'", error.Message);
    }

    [Fact]
    public void Parse_TimeoutOf50Days_IsValid()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: etl
            tasks:
              x:
                shell: echo
                timeout: 50d
            """), "flow.yaml");

        Assert.Equal(TimeSpan.FromDays(50), definition.Tasks[0].Timeout);
    }

    [Fact]
    public void Parse_RetryDelayAtTheLimitOfTimeSpan_RefusedAtItsPlace()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                shell: echo
                retry: { delay: 10675199d }
            """, 5, 21);

        Assert.Contains("'delay' 10675199d is longer than the maximum of 365d", error.Message);
        Assert.Contains("task 'x'", error.Message);
    }

    [Fact]
    public void Parse_HugeMultiplierWithoutMaxDelay_RefusedAtTheMultiplier()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                shell: echo
                retry: { strategy: exponential, delay: 1s, multiplier: 1e20, maxAttempts: 3 }
            """, 5, 60);

        Assert.Contains("multiplier 1E+20", error.Message);
        Assert.Contains("longer than the maximum of 365d", error.Message);
        Assert.Contains("set 'maxDelay'", error.Message);
    }

    [Fact]
    public void Parse_HugeMultiplierCappedByMaxDelay_IsValid()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: etl
            tasks:
              x:
                shell: echo
                retry: { strategy: exponential, delay: 1s, multiplier: 1e20, maxDelay: 1h, maxAttempts: 50 }
            """), "flow.yaml");

        Assert.Equal(TimeSpan.FromHours(1), definition.Tasks[0].Retry.DelayBefore(49, 0));
    }

    [Fact]
    public void Parse_FibonacciGrowingPastTheMaximum_Refused()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                shell: echo
                retry: { strategy: fibonacci, delay: 1d, maxAttempts: 30 }
            """, 5, 59);

        Assert.Contains("the wait before attempt 30", error.Message);
    }

    [Theory]
    [InlineData("sleep: 400d", 4, 12, "'sleep' 400d")]
    [InlineData("noop: {}\n    deadline: 400d", 5, 15, "'deadline' 400d")]
    [InlineData("noop: {}\n    cache: { ttl: 400d }", 5, 19, "'ttl' 400d")]
    [InlineData("http: { url: 'http://example.com', timeout: 400d }", 4, 49, "'timeout' 400d")]
    public void Parse_OtherDurationsOverTheMaximum_RefusedAtTheirPlace(string task, int line, int column, string field)
    {
        var error = Loading.Single($"""
            name: etl
            tasks:
              x:
                {task}
            """, line, column);

        Assert.Contains($"{field} is longer than the maximum of 365d", error.Message);
    }

    [Fact]
    public void Parse_WorkflowDeadlineOverTheMaximum_Refused()
    {
        var error = Loading.Single("""
            name: etl
            deadline: 2000d
            tasks:
              x:
                noop: {}
            """, 2, 11);

        Assert.Contains("'deadline' 2000d is longer than the maximum of 365d", error.Message);
    }

    [Fact]
    public void Validate_DefinitionBuiltInCSharp_ChecksTheSameLimits()
    {
        var definition = new WorkflowDefinition("etl",
        [
            new TaskDefinition("a", new SleepSpec(TimeSpan.FromDays(400))),
            new TaskDefinition("b", NoopSpec.Instance) { Timeout = TimeSpan.FromDays(400) },
            new TaskDefinition("c", NoopSpec.Instance) { Retry = new RetryPolicy { Strategy = RetryStrategy.Exponential, Delay = TimeSpan.FromDays(1), Multiplier = 1e20 } },
            new TaskDefinition("d", NoopSpec.Instance) { Deadline = DeadlineSpec.AfterSubmit(TimeSpan.FromDays(400)) },
        ]);

        var messages = WorkflowValidator.Validate(definition).Select(e => e.Message).ToList();

        Assert.Contains(messages, m => m.Contains("'sleep' 400d is longer than the maximum of 365d", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'timeout' 400d is longer than the maximum of 365d", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("multiplier 1E+20", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'deadline' 400d is longer than the maximum of 365d", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Engine_Submit_DefinitionOverTheMaximum_RefusedBeforeAnythingIsStored()
    {
        await using var engine = WeftEngine.Create(o => o.Workers = 1);
        var definition = new WorkflowDefinition("etl", [new TaskDefinition("a", NoopSpec.Instance) { Timeout = TimeSpan.FromDays(400) }]);

        await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.SubmitAsync(definition).AsTask());
        Assert.Empty(await engine.Store.ListRunsAsync(new Weft.Storage.RunQuery()));
    }
}
