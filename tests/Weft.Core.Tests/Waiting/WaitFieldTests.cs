using Weft.Definitions;
using Weft.Tests.Definitions;

namespace Weft.Tests.Waiting;

/// <summary>The task kind <c>wait:</c> in files: its three forms, its errors at their places, and back
/// out through DefinitionJson (the form a store keeps).</summary>
public sealed class WaitFieldTests
{
    private static WorkflowDefinition Parse(string yaml) => WorkflowLoader.Parse(Loading.Text(yaml), "flow.yaml");

    [Fact]
    public void Parse_TheThreeForms_RoundTripThroughTheStoredJson()
    {
        var definition = Parse("""
            name: waits
            params:
              window_start: { default: "2026-12-03T22:00:00Z" }
            tasks:
              start:
                shell: echo '{"id":7}'
              approve:
                wait: { signal: approval, timeout: 72h }
              night:
                wait: { until: "{{ params.window_start }}", onTimeout: succeed, timeout: 1d }
              export:
                dependsOn: start
                wait:
                  http: { url: "https://api.example.com/exports/{{ tasks.start.output.id }}" }
                  until: "{{ response.json.status == 'done' and response.status == 200 }}"
                  every: 10s
                  timeout: 6h
            """);

        var approve = (WaitSpec)definition.Tasks[1].Spec;
        Assert.Equal("approval", approve.Signal);
        Assert.Equal(TimeSpan.FromHours(72), approve.Timeout);
        var night = (WaitSpec)definition.Tasks[2].Spec;
        Assert.Equal(WaitTimeoutOutcome.Succeed, night.OnTimeout);
        var export = (WaitSpec)definition.Tasks[3].Spec;
        Assert.Equal("GET", export.Http!.Method);
        Assert.Equal(TimeSpan.FromSeconds(10), export.Every);

        var again = WorkflowLoader.Parse(DefinitionJson.Write(definition), "stored.json");
        Assert.Equal(DefinitionJson.Write(definition), DefinitionJson.Write(again));
        Assert.Equal(export with { Http = export.Http with { Headers = null } }, again.Tasks[3].Spec with { });
    }

    [Theory]
    [InlineData("wait: { timeout: 1h }", 4, 11, "'wait' in task 'a' needs 'signal' (a name), 'until' (a time) or 'http' with 'until' (a condition)")]
    [InlineData("wait: { signal: go, until: '2026-01-01T00:00:00Z' }", 4, 21, "'wait' in task 'a' has 'signal' and 'until'; a wait is for a signal, a time ('until') or a condition ('http' with 'until'), one of them")]
    [InlineData("wait: { until: 'tomorrow' }", 4, 20, "'until' of 'wait' in task 'a' must be a point in time such as 2026-12-03T22:00:00Z (or a template giving one), not 'tomorrow'")]
    [InlineData("wait: { signal: go, every: 5s }", 4, 32, "'every' of 'wait' in task 'a' applies to a sensor ('http' with 'until') only")]
    [InlineData("wait: { signal: go, onTimeout: maybe }", 4, 36, "'onTimeout' of 'wait' in task 'a' must be 'fail' or 'succeed', not 'maybe'")]
    [InlineData("wait: { http: 'https://x.test/', until: \"{{ response.json.state = 'done' }}\" }", 4, 69, "the condition of 'wait' in task 'a' does not parse: '=' is not a comparison; write '=='")]
    [InlineData("wait: { http: 'https://x.test/', until: \"{{ response.json.ok and }}\" }", 4, 70, "the condition of 'wait' in task 'a' does not parse: the condition ends where a value was expected")]
    [InlineData("wait: { http: 'https://x.test/', until: \"{{ env.HOME == 'x' }}\" }", 4, 49, "the condition of 'wait' in task 'a' does not parse: unknown name 'env': a path starts with response, params, tasks or run")]
    [InlineData("wait: { http: 'https://x.test/', until: \"{{ params.nope == 1 }}\" }", 4, 49, "the condition of 'wait' in task 'a' names unknown param 'nope'")]
    public void Parse_BadWait_IsAnErrorAtItsPlace(string wait, int line, int column, string message)
    {
        var error = Loading.Single($$"""
            name: waits
            tasks:
              a:
                {{wait}}
            """, line, column);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_MapAndWait_IsRefused()
    {
        var errors = Assert.Throws<WorkflowValidationException>(() => Parse("""
            name: waits
            tasks:
              a:
                map: { over: "[1]" }
                wait: { signal: go }
            """)).Errors;

        Assert.Contains(errors, e => e.Message.StartsWith("task 'a' has both 'map' and 'wait'", StringComparison.Ordinal));
    }

    [Fact]
    public void Condition_ComparesJsonFieldsNumbersAndText()
    {
        var condition = WaitCondition.Parse("{{ response.json.n >= 3 and not (response.json.s != 'ok') or response.json.missing == null }}", out var error, out _);
        Assert.Null(error);
        using var doc = System.Text.Json.JsonDocument.Parse("""{"n": 3, "s": "ok"}""");
        System.Text.Json.JsonElement? Resolve(string[] path) =>
            path is ["response", "json", var field] && doc.RootElement.TryGetProperty(field, out var v) ? v : null;
        Assert.True(condition!.Evaluate(Resolve));

        var numberText = WaitCondition.Parse("params.n == 3", out _, out _)!;
        Assert.True(numberText.Evaluate(_ => System.Text.Json.JsonSerializer.SerializeToElement("3")));
        var none = WaitCondition.Parse("response.json.status == 'done'", out _, out _)!;
        Assert.False(none.Evaluate(_ => null));
    }
}
