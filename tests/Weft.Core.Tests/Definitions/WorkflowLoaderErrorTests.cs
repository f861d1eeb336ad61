using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>Graph, name and template errors of loaded files, each at its place.</summary>
public sealed class WorkflowLoaderErrorTests
{
    [Fact]
    public void Parse_TaskDependsOnUnknownTask_ReportsPlaceAndSuggestion()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              extract:
                noop: {}
              load:
                noop: {}
                dependsOn: [extrat]
            """, 7, 17);

        Assert.Equal("task 'load' depends on unknown task 'extrat' (did you mean 'extract'?)", error.Message);
        Assert.Equal("flow.yaml:7:17: task 'load' depends on unknown task 'extrat' (did you mean 'extract'?)", error.ToString());
    }

    [Fact]
    public void Parse_TaskDependsOnItself_ReportsTheEntry()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                noop: {}
                dependsOn: a
            """, 5, 16);

        Assert.Equal("task 'a' depends on itself", error.Message);
    }

    [Fact]
    public void Parse_Cycle_SpellsOutTheCycleAtTheFirstTask()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                noop: {}
                dependsOn: [c]
              b:
                noop: {}
                dependsOn: [a]
              c:
                noop: {}
                dependsOn: [b]
            """, 5, 17);

        Assert.Equal("cycle: a → b → c → a", error.Message);
    }

    [Fact]
    public void Parse_DuplicateTaskId_ReportsTheSecondKey()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                noop: {}
              a:
                noop: {}
            """, 5, 3);

        Assert.Equal("duplicate key 'a'; it is first at flow.yaml:3:3", error.Message);
    }

    [Fact]
    public void Parse_TemplateNamingUnknownParam_PointsInsideTheScalar()
    {
        var error = Loading.Single("""
            name: etl
            params:
              date: "2025-01-01"
            tasks:
              load:
                shell: ./load.sh {{ params.dat }}
            """, 6, 22);

        Assert.Equal("template in task 'load' names unknown param 'dat' (did you mean 'date'?)", error.Message);
    }

    [Fact]
    public void Parse_TemplateNamingTaskNotUpstream_IsAnError()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                http: "POST http://x/{{ tasks.b.output }}"
              b:
                noop: {}
            """, 4, 26);

        Assert.Equal("template in task 'a' names task 'b', which is not upstream of 'a'", error.Message);
    }

    [Fact]
    public void Parse_TemplateNamingTransitiveUpstreamAndRunId_IsValid()
    {
        var def = WorkflowLoader.Parse(Loading.Text("""
            name: etl
            tasks:
              a:
                noop: {}
              b:
                noop: {}
                dependsOn: a
              c:
                function: f
                with: { x: "{{ tasks.a.output.rows }}", y: ["{{ run.id }}"] }
                dependsOn: b
            """), "flow.yaml");

        Assert.Equal(3, def.Tasks.Count);
    }

    [Fact]
    public void Parse_MalformedTemplate_ReportsTemplateError()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                function: f
                with:
                  x: "{{ nonsense }}"
            """, 6, 11);

        Assert.Equal(
            "template in task 'a': unknown template expression '{{ nonsense }}'; expected params.NAME, run.id, tasks.ID.output, tasks.ID.output.FIELD, item, item.FIELD or index",
            error.Message);
    }

    [Fact]
    public void Parse_InvalidNames_AreErrors()
    {
        var errors = Loading.Errors("""
            name: my flow
            params:
              a.b: 1
            tasks:
              "x y":
                noop: {}
            """);

        Assert.Equal(
            [
                "flow.yaml:1:7: invalid workflow name 'my flow'; use letters, digits, '.', '_' and '-'",
                "flow.yaml:3:3: invalid param name 'a.b'; use letters, digits, '_' and '-'",
                "flow.yaml:5:3: invalid task id 'x y'; use letters, digits, '_' and '-'",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOneInFileOrder()
    {
        var errors = Loading.Errors("""
            name: etl
            tasks:
              extract:
                http: GET http://x
                timeout: soon
              load:
                shell: ./load.sh {{ params.nope }}
                dependsOn: [extrat, load]
              x:
                dependsOn: []
            """);

        Assert.Equal(
            [
                "flow.yaml:5:14: bad duration 'soon' for 'timeout'; expected e.g. 250ms, 10s, 5m, 2h, 1d or PT5M",
                "flow.yaml:7:22: template in task 'load' names unknown param 'nope'",
                "flow.yaml:8:17: task 'load' depends on unknown task 'extrat' (did you mean 'extract'?)",
                "flow.yaml:8:25: task 'load' depends on itself",
                "flow.yaml:9:3: task 'x' has no kind; expected exactly one of: shell, http, function, sleep, noop, sql, container, wait, workflow",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ExceptionMessage_ListsEveryErrorWithoutTypeNames()
    {
        var e = Assert.Throws<WorkflowValidationException>(() =>
            WorkflowLoader.Parse("name: etl\ntasks:\n  a:\n    noop: {}\n    dependsOn: [b, c]\n", "flow.yaml"));

        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("flow.yaml:5:17: task 'a' depends on unknown task 'b'", e.Message);
        Assert.Contains("flow.yaml:5:20: task 'a' depends on unknown task 'c'", e.Message);
        Assert.DoesNotContain("Exception", e.Message);
    }
}
