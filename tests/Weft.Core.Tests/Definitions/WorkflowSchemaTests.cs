using System.Text.Json.Nodes;
using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>Keeps the editor schema in step with what the loader accepts.</summary>
public sealed class WorkflowSchemaTests
{
    private static JsonNode Schema()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(dir.FullName, "schema", "weft-workflow.schema.json")))!;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>());

    [Fact]
    public void Schema_EnumsAndKinds_MatchTheLoader()
    {
        var defs = Schema()["$defs"]!;

        Assert.Equal(Names.Priorities.Select(p => p.Name), Strings(defs["priority"]!["enum"]));
        Assert.Equal(Names.Triggers.Select(t => t.Name), Strings(defs["trigger"]!["enum"]));
        Assert.Equal(Names.Strategies.Select(s => s.Name), Strings(defs["retry"]!["properties"]!["strategy"]!["enum"]));
        var kinds = defs["task"]!["oneOf"]!.AsArray().Select(r => Strings(r!["required"]).Single());
        Assert.Equal(Names.BuiltInKinds, kinds);
    }

    [Fact]
    public void Schema_TaskFields_MatchTheLoader()
    {
        var fields = Schema()["$defs"]!["task"]!["properties"]!.AsObject().Select(p => p.Key).Order();

        Assert.Equal(
            new[] { "dependsOn", "timeout", "deadline", "retry", "priority", "trigger", "with", "pool", "queue", "breaker", "rateLimit", "resources", "cache", "map", "params" }.Concat(Names.BuiltInKinds).Order(),
            fields);
    }
}
