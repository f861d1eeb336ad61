using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>Shape errors of loaded files (fields, kinds, types, values, syntax), each at its place.</summary>
public sealed class WorkflowLoaderFieldErrorTests
{
    [Fact]
    public void Parse_TaskWithoutKind_ReportsTheTaskId()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                dependsOn: []
            """, 3, 3);

        Assert.Equal("task 'x' has no kind; expected exactly one of: shell, http, function, sleep, noop, sql, container, wait, workflow", error.Message);
    }

    [Fact]
    public void Parse_TaskWithTwoKinds_ReportsTheSecondKind()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                shell: echo
                http: GET http://example.com
            """, 5, 5);

        Assert.Equal("task 'x' has two kinds: shell and http", error.Message);
    }

    [Fact]
    public void Parse_UnknownTaskField_SuggestsTheField()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                noop: {}
              x:
                shell: echo
                dependson: [a]
            """, 7, 5);

        Assert.Equal("unknown field 'dependson' in task 'x' (did you mean 'dependsOn'?)", error.Message);
    }

    [Fact]
    public void Parse_UnknownKind_ListsTheKinds()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                docker: alpine
            """, 4, 5);

        Assert.Equal("unknown kind 'docker' in task 'x'; expected exactly one of: shell, http, function, sleep, noop, sql, container, wait, workflow", error.Message);
    }

    [Fact]
    public void Parse_UnknownTopLevelAndNestedFields_AreErrorsWithPlaces()
    {
        var errors = Loading.Errors("""
            name: etl
            version: 2
            tasks:
              x:
                shell: { command: echo, workDir: /tmp }
                retry: { maxAttempt: 3 }
            """);

        Assert.Equal(
            [
                "flow.yaml:2:1: unknown field 'version' in the workflow",
                "flow.yaml:5:29: unknown field 'workDir' of 'shell' in task 'x' (did you mean 'workdir'?)",
                "flow.yaml:6:14: unknown field 'maxAttempt' in retry in task 'x' (did you mean 'maxAttempts'?)",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_BadDuration_ReportsTheValue()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                shell: echo
                timeout: 5 minutes
            """, 5, 14);

        Assert.Equal("bad duration '5 minutes' for 'timeout'; expected e.g. 250ms, 10s, 5m, 2h, 1d or PT5M", error.Message);
    }

    [Fact]
    public void Parse_BadEnumValues_ListTheAllowedOnes()
    {
        var errors = Loading.Errors("""
            name: etl
            tasks:
              x:
                shell: echo
                priority: urgent
                trigger: all_sucess
                retry: { strategy: linear }
            """);

        Assert.Equal(
            [
                "flow.yaml:5:15: bad priority 'urgent' in task 'x'; expected one of: critical, high, normal, low",
                "flow.yaml:6:14: bad trigger 'all_sucess' in task 'x'; expected one of: all_success, all_done, all_failed, one_success, one_failed, none_failed (did you mean 'all_success'?)",
                "flow.yaml:7:24: bad retry strategy 'linear' in task 'x'; expected one of: none, immediate, fixed, exponential, fibonacci",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_BadRetryValues_AreReportedOnceEvenFromDefaults()
    {
        var errors = Loading.Errors("""
            name: etl
            defaults:
              retry: { maxAttempts: 0, multiplier: -1 }
            tasks:
              a:
                noop: {}
              b:
                noop: {}
            """);

        Assert.Equal(
            [
                "flow.yaml:3:25: retry in defaults: maxAttempts must be at least 1, not 0",
                "flow.yaml:3:40: retry in defaults: multiplier must be more than 0, not -1",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_BadRetryOnEntry_ListsTheForms()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                shell: echo
                retry: { retryOn: [exit:75, http:600] }
            """, 5, 33);

        Assert.Equal("bad retryOn entry 'http:600' in task 'a'; expected exit:N, http:NNN, http:5xx, timeout or error", error.Message);
    }

    [Fact]
    public void Parse_WrongTypes_SayWhatWasExpected()
    {
        var errors = Loading.Errors("""
            name: etl
            tasks:
              a:
                http: { url: http://x, expectStatus: ok }
                retry: { maxAttempts: three, jitter: maybe }
              b:
                noop: 3
                dependsOn: { a: 1 }
            """);

        Assert.Equal(
            [
                "flow.yaml:4:42: 'expectStatus' in task 'a' must be a whole number, not 'ok'",
                "flow.yaml:5:27: 'maxAttempts' in task 'a' must be a whole number, not 'three'",
                "flow.yaml:5:42: 'jitter' in task 'a' must be true or false, not 'maybe'",
                "flow.yaml:7:11: 'noop' in task 'b' takes no value; write 'noop: {}'",
                "flow.yaml:8:16: 'dependsOn' in task 'b' must be text, not a mapping",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_YamlSyntaxError_HasAPlace()
    {
        var error = Assert.Single(Loading.Errors("""
            name: etl
            tasks:
              a:
                shell: [echo
            """));

        Assert.StartsWith("YAML syntax error: ", error.Message);
        Assert.Equal("flow.yaml", error.Location!.File);
        Assert.True(error.Location.Line >= 4, error.ToString());
        Assert.DoesNotContain("Exception", error.Message);
    }

    [Fact]
    public void Parse_EmptyOrMissingParts_AreErrors()
    {
        Assert.Equal("flow.yaml:1:1: the workflow is empty; expected a mapping with 'name' and 'tasks'", Assert.Single(Loading.Errors("")).ToString());
        Assert.Equal(
            ["flow.yaml:1:1: the workflow has no name", "flow.yaml:1:1: the workflow has no tasks"],
            Loading.Errors("description: nothing\n").Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_YamlTabIndentation_PointsAtTheTab()
    {
        var error = Loading.Single("name: etl\ntasks:\n\ta:\n\t\tnoop: {}\n", 3, 1);

        Assert.StartsWith("YAML syntax error: ", error.Message);
        Assert.Contains("tab", error.Message);
    }

    [Fact]
    public void Parse_RepeatedFieldsAndEmptyTasks_AreErrors()
    {
        var errors = Loading.Errors("""
            name: etl
            name: again
            tasks:
              a:
                function:
                with: { x: 1 }
              b:
            """);

        Assert.Equal(
            [
                "flow.yaml:2:1: duplicate key 'name'; it is first at flow.yaml:1:1",
                "flow.yaml:5:14: 'function' in task 'a' must not be empty",
                "flow.yaml:7:3: task 'b' must be a mapping with one of: shell, http, function, sleep, noop, sql, container, wait, workflow; it is empty",
            ],
            errors.Select(e => e.ToString()));
    }
}
