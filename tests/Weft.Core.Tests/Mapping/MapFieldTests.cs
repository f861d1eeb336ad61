using Weft.Definitions;
using Weft.Tests.Definitions;

namespace Weft.Tests.Mapping;

/// <summary>The task field <c>map:</c> in files, its errors at their places, and back out through DefinitionJson.</summary>
public sealed class MapFieldTests
{
    [Fact]
    public void Parse_Map_ReadsOverAndMaxParallel()
    {
        var task = WorkflowLoader.Parse(Loading.Text("""
            name: fan
            tasks:
              list:
                shell: echo '[1,2]'
              convert:
                dependsOn: list
                map:
                  over: "{{ tasks.list.output }}"
                  maxParallel: 50
                shell: 'echo "{{ item }}" {{ index }}'
            """), "flow.yaml").Tasks[1];

        Assert.Equal(new MapSpec("{{ tasks.list.output }}") { MaxParallel = 50 }, task.Map);
    }

    [Fact]
    public void Parse_MapWithoutItem_IsFine()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: fan
            tasks:
              a:
                map: { over: "[1, 2, 3]" }
                shell: echo hi
            """), "flow.yaml");

        Assert.Equal("[1, 2, 3]", definition.Tasks[0].Map!.Over);
    }

    [Fact]
    public void Parse_MaxParallelBelowOne_IsAnErrorAtItsPlace()
    {
        var error = Loading.Single("""
            name: fan
            tasks:
              a:
                map: { over: "[1]", maxParallel: 0 }
                shell: echo hi
            """, 4, 38);

        Assert.Equal("'maxParallel' of map in task 'a' must be at least 1, not 0", error.Message);
    }

    [Fact]
    public void Parse_ItemOutsideAMapTask_IsADefinitionErrorAtTheTemplate()
    {
        var error = Loading.Single("""
            name: fan
            tasks:
              a:
                shell: 'echo "{{ item }}"'
            """, 4, 19);

        Assert.Equal("template in task 'a' uses '{{ item }}', which only a map task has; add 'map: { over: ... }' or remove it", error.Message);
    }

    [Fact]
    public void Parse_IndexInOver_IsAnError()
    {
        var error = Loading.Single("""
            name: fan
            tasks:
              a:
                map: { over: "{{ index }}" }
                shell: echo hi
            """, 4, 19);

        Assert.Contains("cannot use '{{ index }}'", error.Message);
    }

    [Fact]
    public void Parse_OverNamingATaskNotUpstream_IsAnError()
    {
        var error = Loading.Single("""
            name: fan
            tasks:
              list:
                shell: echo '[]'
              a:
                map: { over: "{{ tasks.list.output }}" }
                shell: echo hi
            """, 6, 19);

        Assert.Equal("template in task 'a' names task 'list', which is not upstream of 'a'", error.Message);
    }

    [Fact]
    public void Parse_MapWithoutOver_IsAnError()
    {
        var error = Loading.Single("""
            name: fan
            tasks:
              a:
                map: { maxParallel: 2 }
                shell: echo hi
            """, 4, 10);

        Assert.StartsWith("'map' in task 'a' needs 'over'", error.Message);
    }

    [Fact]
    public void DefinitionJson_RoundTripsTheMap()
    {
        var definition = Workflow.Create("fan")
            .Task("list", t => t.Shell("echo '[1]'"))
            .Task("each", t => t.Shell("echo {{ item }}").DependsOn("list").Map("{{ tasks.list.output }}", maxParallel: 4))
            .Build();

        var again = WorkflowLoader.Parse(DefinitionJson.Write(definition), "stored.json");

        Assert.Equal(definition.Tasks[1].Map, again.Tasks[1].Map);
        Assert.Equal(DefinitionJson.Write(definition), DefinitionJson.Write(again));
    }
}
