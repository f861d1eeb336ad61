using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;

namespace Weft.Tests.Handlers;

public sealed class FunctionHandlerTests
{
    private const string P = TestFunctions.Prefix;
    private static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(10);
    private readonly FunctionRegistry _registry = new();
    private readonly FunctionHandler _handler;

    public FunctionHandlerTests()
    {
        _registry.RegisterAssembly(typeof(TestFunctions).Assembly);
        _handler = new FunctionHandler(_registry);
    }

    [Fact]
    public async Task ExecuteAsync_BoundByName_FromRenderedTemplates()
    {
        var outcome = await Run(P + "add", new JsonObject { ["a"] = 2, ["B"] = "{{ params.b }}" }, new() { ["params.b"] = "40" });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("42", outcome.Output);
        Assert.Equal("function", _handler.Kind);
    }

    [Fact]
    public async Task ExecuteAsync_StringResult_IsPlainText_AndOptionalUsesDefault()
    {
        var outcome = await Run(P + "greet", new JsonObject { ["name"] = "Ada" });

        Assert.Equal("Hello, Ada!", outcome.Output);
    }

    [Fact]
    public async Task ExecuteAsync_MissingRequiredArgument_FailsClearly()
    {
        var outcome = await Run(P + "add", new JsonObject { ["a"] = 1 });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal($"function '{P}add': missing required argument 'b' (Int32)", outcome.Error);
    }

    [Fact]
    public async Task ExecuteAsync_ArgumentOfWrongType_FailsClearly()
    {
        var outcome = await Run(P + "add", new JsonObject { ["a"] = 1, ["b"] = new JsonArray() });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.StartsWith($"function '{P}add': argument 'b' cannot be read as Int32", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_JsonObjectParameter_GetsAllArguments()
    {
        var outcome = await Run(P + "all-args", new JsonObject { ["z"] = 1, ["a"] = 2 });

        Assert.Equal("a,z", outcome.Output);
    }

    [Fact]
    public async Task ExecuteAsync_TaskOfRecord_IsSerializedAsCamelCaseJson()
    {
        var outcome = await Run(P + "task-of-t", new JsonObject { ["x"] = 1, ["y"] = 2 });

        Assert.Equal("{\"x\":1,\"y\":2}", outcome.Output);
    }

    [Fact]
    public async Task ExecuteAsync_ValueTaskOfArray_IsJson_WithNestedTemplatesRendered()
    {
        var args = new JsonObject { ["items"] = new JsonArray("a", "{{ run.id }}", "c") };

        var outcome = await Run(P + "value-task-of-t", args, new() { ["run.id"] = "r9" });

        Assert.Equal("[\"c\",\"r9\",\"a\"]", outcome.Output);
    }

    [Theory]
    [InlineData("void")]
    [InlineData("task")]
    [InlineData("value-task")]
    public async Task ExecuteAsync_NoResult_SucceedsWithoutOutput(string name)
    {
        var outcome = await Run(P + name, null);

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Null(outcome.Output);
    }

    [Theory]
    [InlineData("throws", "InvalidOperationException: boom")]
    [InlineData("throws-async", "FormatException: bad format")]
    public async Task ExecuteAsync_UserException_FailsWithTypeAndMessage(string name, string error)
    {
        var outcome = await Run(P + name, new JsonObject { ["message"] = "boom" });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal(error, outcome.Error);
    }

    [Fact]
    public async Task ExecuteAsync_WrappedException_IsUnwrapped()
    {
        _registry.Register("wrapped", _ => throw new AggregateException(
            new System.Reflection.TargetInvocationException(new ArgumentException("inner"))));

        var outcome = await Run("wrapped", null);

        Assert.Equal("ArgumentException: inner", outcome.Error);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownFunction_Fails()
    {
        var outcome = await Run("nope", null);

        Assert.Equal("no function named 'nope' is registered", outcome.Error);
    }

    [Fact]
    public async Task ExecuteAsync_TokenFires_ReturnsCancelled()
    {
        using var cts = new CancellationTokenSource();
        var running = _handler.ExecuteAsync(Invocations.For(new FunctionSpec(P + "wait-for-cancel"), cancellationToken: cts.Token));

        await cts.CancelAsync();
        var outcome = await running.WithHardTimeout(HardTimeout);

        Assert.Equal(TaskOutcomeStatus.Cancelled, outcome.Status);
    }

    [Fact]
    public async Task ExecuteAsync_OwnCancellationWithoutToken_IsAFailure()
    {
        _registry.Register("gives-up", _ => throw new OperationCanceledException("gave up"));

        var outcome = await Run("gives-up", null);

        Assert.Equal("OperationCanceledException: gave up", outcome.Error);
    }

    [Fact]
    public async Task ExecuteAsync_LargeResult_IsBounded()
    {
        _registry.Register("big", _ => new string('x', 500));

        var outcome = await Run("big", null, outputLimit: 100);

        Assert.True(outcome.OutputTruncated);
        Assert.StartsWith(new string('x', 100) + "\n…[output truncated: 500 bytes, limit 100]", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_DefinitionArguments_AreNotMutated()
    {
        var with = new JsonObject { ["v"] = "{{ params.v }}" };
        _registry.Register("mutates", args =>
        {
            args!["v"] = "changed";
            return args["v"]!.GetValue<string>();
        });

        var outcome = await Run("mutates", with, new() { ["params.v"] = "1" });

        Assert.Equal("changed", outcome.Output);
        Assert.Equal("{{ params.v }}", with["v"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_UnresolvableTemplate_Fails()
    {
        var outcome = await Run(P + "greet", new JsonObject { ["name"] = "{{ params.gone }}" });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("params.gone", outcome.Error, StringComparison.Ordinal);
    }

    private Task<TaskOutcome> Run(string name, JsonObject? with, Dictionary<string, string>? values = null, int outputLimit = OutputLimit.DefaultBytes) =>
        _handler.ExecuteAsync(Invocations.For(new FunctionSpec(name) { With = with }, values, outputLimit: outputLimit))
            .WithHardTimeout(HardTimeout);
}
