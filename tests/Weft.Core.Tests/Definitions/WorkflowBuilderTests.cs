using System.Text.Json.Nodes;
using Weft.Definitions;

namespace Weft.Tests.Definitions;

public sealed class WorkflowBuilderTests
{
    [Fact]
    public void Build_SameWorkflowAsYaml_ProducesEqualTasks()
    {
        var fromYaml = WorkflowLoader.Parse(Loading.Text(WorkflowLoaderExampleTests.Example), "etl.yaml");
        var defaultRetry = new RetryPolicy { Strategy = RetryStrategy.Exponential, MaxAttempts = 3, Delay = TimeSpan.FromSeconds(1) };

        var built = Workflow.Create("nightly-etl")
            .Description("free text")
            .Param("date", "2025-01-01")
            .Task("extract", t => t.Http("GET", "http://127.0.0.1:8080/data").Timeout(TimeSpan.FromMinutes(5)).Retry(defaultRetry))
            .Task("transform", t => t.Shell("./transform.sh {{ params.date }}")
                .DependsOn("extract")
                .Timeout(TimeSpan.FromMinutes(10))
                .Retry(new RetryPolicy
                {
                    Strategy = RetryStrategy.Fixed,
                    MaxAttempts = 5,
                    Delay = TimeSpan.FromMilliseconds(500),
                    MaxDelay = TimeSpan.FromSeconds(30),
                    Multiplier = 2,
                    Jitter = true,
                    RetryOn = [new(RetryConditionKind.ExitCode, 75), new(RetryConditionKind.HttpStatusClass, 5), new(RetryConditionKind.HttpStatus, 429), new(RetryConditionKind.Timeout)],
                })
                .Priority(TaskPriority.High))
            .Task("report", t => t.Function("render-report", new JsonObject { ["format"] = "pdf" })
                .DependsOn("transform").Trigger(TriggerRule.AllDone).Timeout(TimeSpan.FromMinutes(5)).Retry(defaultRetry))
            .Task("wait", t => t.Sleep(TimeSpan.FromSeconds(2)).Timeout(TimeSpan.FromMinutes(5)).Retry(defaultRetry))
            .Task("marker", t => t.Noop().Timeout(TimeSpan.FromMinutes(5)).Retry(defaultRetry))
            .Build();

        Assert.Equal(fromYaml.Name, built.Name);
        Assert.Equal(fromYaml.Description, built.Description);
        Assert.Equal(fromYaml.Params.Select(p => p with { Location = null }), built.Params);
        Assert.Equal(fromYaml.Tasks.Count, built.Tasks.Count);
        for (var i = 0; i < built.Tasks.Count; i++)
        {
            var (y, b) = (fromYaml.Tasks[i], built.Tasks[i]);
            Assert.Equal(y.Id, b.Id);
            Assert.Equal(y.DependsOn, b.DependsOn);
            Assert.Equal((y.Timeout, y.Priority, y.Trigger), (b.Timeout, b.Priority, b.Trigger));
            Assert.Equal(y.Retry with { RetryOn = null }, b.Retry with { RetryOn = null });
            Assert.Equal(y.Retry.RetryOn ?? [], b.Retry.RetryOn ?? []);
            if (y.Spec is FunctionSpec fy)
            {
                var fb = Assert.IsType<FunctionSpec>(b.Spec);
                Assert.Equal(fy.Name, fb.Name);
                Assert.True(JsonNode.DeepEquals(fy.With, fb.With));
            }
            else
            {
                Assert.Equal(y.Spec, b.Spec);
            }
        }
    }

    [Fact]
    public void Build_TaskWithoutKind_Throws()
    {
        var e = Assert.Throws<WorkflowValidationException>(() =>
            Workflow.Create("w").Task("x", t => t.DependsOn()).Build());

        Assert.Equal("task 'x' has no kind; expected exactly one of: shell, http, function, sleep, noop, sql, container, wait, workflow", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Build_TaskWithTwoKinds_Throws()
    {
        var e = Assert.Throws<WorkflowValidationException>(() =>
            Workflow.Create("w").Task("x", t => t.Shell("echo").Http("GET", "http://x")).Build());

        Assert.Equal("task 'x' has two kinds: shell and http", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Build_GraphAndTemplateErrors_AreReportedTogether()
    {
        var e = Assert.Throws<WorkflowValidationException>(() => Workflow.Create("w")
            .Task("extract", t => t.Noop())
            .Task("load", t => t.Shell("./load {{ params.day }}").DependsOn("extrat"))
            .Task("a", t => t.Noop().DependsOn("b"))
            .Task("b", t => t.Noop().DependsOn("a"))
            .Build());

        Assert.Equal(
            [
                "task 'load' depends on unknown task 'extrat' (did you mean 'extract'?)",
                "cycle: a → b → a",
                "template in task 'load' names unknown param 'day'",
            ],
            e.Errors.Select(x => x.Message));
        Assert.All(e.Errors, x => Assert.Null(x.Location));
    }

    [Fact]
    public void Build_CustomKind_IsAccepted()
    {
        var def = Workflow.Create("w").Task("c", t => t.Kind(new CustomSpec("container", JsonValue.Create("alpine")))).Build();

        Assert.Equal("container", def.Tasks[0].Kind);
    }

    [Fact]
    public void Build_Defaults_MatchTaskDefinitionDefaults()
    {
        var task = Workflow.Create("w").Task("n", t => t.Noop()).Build().Tasks[0];

        Assert.Equal(new TaskDefinition("n", NoopSpec.Instance), task with { DependsOn = [] });
        Assert.Empty(task.DependsOn);
        Assert.Same(RetryPolicy.None, task.Retry);
    }
}
