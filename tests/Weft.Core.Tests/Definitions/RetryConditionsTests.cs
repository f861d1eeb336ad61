using Weft.Definitions;

namespace Weft.Tests.Definitions;

public sealed class RetryConditionsTests
{
    [Theory]
    [InlineData("exit:75", RetryConditionKind.ExitCode, 75)]
    [InlineData("exit:0", RetryConditionKind.ExitCode, 0)]
    [InlineData("http:429", RetryConditionKind.HttpStatus, 429)]
    [InlineData("http:5xx", RetryConditionKind.HttpStatusClass, 5)]
    [InlineData("http:4XX", RetryConditionKind.HttpStatusClass, 4)]
    [InlineData("timeout", RetryConditionKind.Timeout, 0)]
    [InlineData("error", RetryConditionKind.Error, 0)]
    public void TryParse_KnownForm_ReturnsCondition(string text, RetryConditionKind kind, int value)
    {
        Assert.True(RetryConditions.TryParse(text, out var condition));
        Assert.Equal(new RetryCondition(kind, value), condition);
    }

    [Theory]
    [InlineData("exit:")]
    [InlineData("exit:-1")]
    [InlineData("exit:256")]
    [InlineData("http:600")]
    [InlineData("http:99")]
    [InlineData("http:6xx")]
    [InlineData("http:")]
    [InlineData("5xx")]
    [InlineData("Timeout")]
    [InlineData("crash")]
    public void TryParse_UnknownForm_ReturnsFalse(string text)
    {
        Assert.False(RetryConditions.TryParse(text, out _));
    }

    [Fact]
    public void Parse_RetryOnAsSingleString_IsAListOfOne()
    {
        var def = WorkflowLoader.Parse("name: f\ntasks:\n  a:\n    shell: x\n    retry: { retryOn: error }\n", "f.yaml");

        Assert.Equal([new RetryCondition(RetryConditionKind.Error)], def.Tasks[0].Retry.RetryOn);
    }

    [Fact]
    public void Parse_RetryOnEntries_RoundTripThroughToString()
    {
        var def = WorkflowLoader.Parse("name: f\ntasks:\n  a:\n    shell: x\n    retry: { retryOn: [exit:75, http:5xx, http:429, timeout, error] }\n", "f.yaml");

        Assert.Equal(["exit:75", "http:5xx", "http:429", "timeout", "error"], def.Tasks[0].Retry.RetryOn!.Select(c => c.ToString()));
    }
}
