using System.Text.Json.Nodes;
using Weft.Definitions;

namespace Weft.Tests.Definitions;

public sealed class WorkflowValidatorTests
{
    private static TaskDefinition Task(string id, params string[] deps) => new(id, NoopSpec.Instance) { DependsOn = deps };

    private static IEnumerable<string> Messages(WorkflowDefinition def, IReadOnlyCollection<string>? kinds = null) =>
        WorkflowValidator.Validate(def, kinds).Select(e => e.Message);

    [Fact]
    public void Validate_ValidDefinition_ReturnsNoErrors()
    {
        var def = new WorkflowDefinition("etl", [Task("a"), Task("b", "a"), Task("c", "a", "b")]);

        Assert.Empty(WorkflowValidator.Validate(def));
    }

    [Fact]
    public void Validate_Cycle_SpellsItOutOnce()
    {
        var def = new WorkflowDefinition("etl", [Task("start"), Task("a", "start", "c"), Task("b", "a"), Task("c", "b")]);

        Assert.Equal(["cycle: a → b → c → a"], Messages(def));
    }

    [Fact]
    public void Validate_TwoSeparateCycles_ReportsBoth()
    {
        var def = new WorkflowDefinition("etl", [Task("a", "b"), Task("b", "a"), Task("c", "d"), Task("d", "c")]);

        Assert.Equal(["cycle: a → b → a", "cycle: c → d → c"], Messages(def));
    }

    [Fact]
    public void Validate_LongChain_DoesNotOverflowTheStack()
    {
        var tasks = Enumerable.Range(0, 50_000).Select(i => i == 0 ? Task("t0") : Task($"t{i}", $"t{i - 1}")).ToList();

        Assert.Empty(WorkflowValidator.Validate(new WorkflowDefinition("long", tasks)));
    }

    [Fact]
    public void Validate_DuplicateIdsAndUnknownDependencies_AreAllReported()
    {
        var def = new WorkflowDefinition("etl", [Task("a"), Task("a"), Task("b", "zzz", "b", "a", "a")]);

        Assert.Equal(
            [
                "duplicate task id 'a'",
                "task 'b' depends on unknown task 'zzz'",
                "task 'b' depends on itself",
                "task 'b' depends on 'a' twice",
            ],
            Messages(def));
    }

    [Fact]
    public void Validate_UnknownKind_NamesTheKnownOnes()
    {
        var def = new WorkflowDefinition("etl", [new TaskDefinition("x", new CustomSpec("docker", null))]);

        Assert.Equal(["task 'x' has unknown kind 'docker'; known kinds: shell, http, function, sleep, noop, sql, container, wait, workflow"], Messages(def));
        Assert.Empty(Messages(def, ["noop", "docker"]));
    }

    [Fact]
    public void Validate_TemplatesInEveryTextField_AreChecked()
    {
        var def = new WorkflowDefinition("etl",
        [
            Task("up"),
            new TaskDefinition("s", new ShellSpec("{{ params.p }}") { Args = ["{{ params.q }}"], Env = new Dictionary<string, string> { ["E"] = "{{ tasks.later.output }}" } }) { DependsOn = ["up"] },
            new TaskDefinition("h", new HttpSpec("GET", "http://x/{{ tasks.up.output.id }}") { Body = "{{ tasks.s.output }}" }),
            new TaskDefinition("f", new FunctionSpec("fn") { With = new JsonObject { ["a"] = new JsonArray("{{ bogus }}") } }),
            Task("later"),
        ])
        { Params = [new ParamDefinition("p")] };

        Assert.Equal(
            [
                "template in task 's' names unknown param 'q'",
                "template in task 's' names task 'later', which is not upstream of 's'",
                "template in task 'h' names task 'up', which is not upstream of 'h'",
                "template in task 'h' names task 's', which is not upstream of 'h'",
                "template in task 'f': unknown template expression '{{ bogus }}'",
            ],
            Messages(def).Select(m => m.Split(';')[0]));
    }

    [Fact]
    public void Validate_OutOfRangeValues_AreErrorsForCSharpDefinitions()
    {
        var def = new WorkflowDefinition("etl",
        [
            new TaskDefinition("a", new ShellSpec("echo")) { Timeout = TimeSpan.Zero, Retry = new RetryPolicy { MaxAttempts = 0, Multiplier = 0 } },
            new TaskDefinition("b", new HttpSpec("G E T", "")),
        ]);

        Assert.Equal(
            [
                "timeout must be more than zero, not 0s in task 'a'",
                "retry in task 'a': maxAttempts must be at least 1, not 0",
                "retry in task 'a': multiplier must be more than 0, not 0",
                "bad HTTP method 'G E T' in task 'b'",
                "task 'b' has an empty url",
            ],
            Messages(def));
    }

    [Fact]
    public void Validate_EmptyWorkflowAndBadNames_AreErrors()
    {
        var def = new WorkflowDefinition("", []) { Params = [new ParamDefinition("ok"), new ParamDefinition("ok"), new ParamDefinition("no way")] };

        Assert.Equal(
            [
                "the workflow has no name",
                "the workflow has no tasks",
                "param 'ok' is declared twice",
                "invalid param name 'no way'; use letters, digits, '_' and '-'",
            ],
            Messages(def));
    }
}
