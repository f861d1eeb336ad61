using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>The task field <c>queue:</c> in files, from the C# builder, and back out through DefinitionJson.</summary>
public sealed class QueueFieldTests
{
    private static WorkflowDefinition Parse(string yaml) => WorkflowLoader.Parse(Loading.Text(yaml), "flow.yaml");

    [Fact]
    public void Parse_Queue_RoutesTheTaskThere()
    {
        var def = Parse("""
            name: train
            tasks:
              fit:
                shell: python fit.py
                queue: gpu-large.v2
              report:
                noop: {}
            """);

        Assert.Equal("gpu-large.v2", def.Tasks[0].Queue);
        Assert.Equal("default", def.Tasks[1].Queue);
    }

    [Fact]
    public void Parse_Json_ReadsQueue()
    {
        var def = WorkflowLoader.Parse("""{"name":"w","tasks":{"a":{"noop":{},"queue":"gpu"}}}""", "flow.json");

        Assert.Equal("gpu", def.Tasks[0].Queue);
    }

    [Fact]
    public void Parse_BadQueueName_ReportsItsPlace()
    {
        var error = Loading.Single("""
            name: train
            tasks:
              fit:
                shell: python fit.py
                queue: "gpu large"
            """, 5, 12);

        Assert.Equal("'queue' in task 'fit' must be letters, digits, '.', '_' or '-', not 'gpu large'", error.Message);
    }

    [Fact]
    public void Parse_QueueNotText_ReportsItsPlace()
    {
        var error = Loading.Single("""
            name: train
            tasks:
              fit:
                shell: python fit.py
                queue: [gpu]
            """, 5, 12);

        Assert.Contains("'queue' in task 'fit'", error.Message);
    }

    [Fact]
    public void Parse_MisspeltQueue_SuggestsIt()
    {
        var error = Loading.Single("""
            name: train
            tasks:
              fit:
                shell: python fit.py
                queu: gpu
            """, 5, 5);

        Assert.Equal("unknown field 'queu' in task 'fit' (did you mean 'queue'?)", error.Message);
    }

    [Fact]
    public void RoundTrip_KeepsQueue_AndLeavesTheDefaultOut()
    {
        var def = Parse("""
            name: train
            tasks:
              fit:
                shell: python fit.py
                queue: gpu
              report:
                noop: {}
            """);

        var json = DefinitionJson.Write(def);
        var back = WorkflowLoader.Parse(json, "stored.json");

        Assert.Contains("\"queue\":\"gpu\"", json);
        Assert.DoesNotContain("\"default\"", json);
        Assert.Equal(["gpu", "default"], back.Tasks.Select(t => t.Queue));
    }

    [Fact]
    public void Builder_Queue_SetsIt()
    {
        var def = Workflow.Create("train")
            .Task("fit", t => t.Shell("python fit.py").Queue("gpu"))
            .Task("report", t => t.Noop())
            .Build();

        Assert.Equal(["gpu", "default"], def.Tasks.Select(t => t.Queue));
    }

    [Fact]
    public void Builder_BadQueueName_IsRejected()
    {
        var e = Assert.Throws<WorkflowValidationException>(() =>
            Workflow.Create("train").Task("fit", t => t.Noop().Queue("")).Build());

        Assert.Equal("'queue' in task 'fit' must be letters, digits, '.', '_' or '-', not ''", Assert.Single(e.Errors).Message);
    }
}
