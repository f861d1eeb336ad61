using System.Text.Json;
using Weft.Cli.Commands;
using Weft.Definitions;

namespace Weft.Tests.Commands;

public sealed class ValidateJsonTests
{
    [Fact]
    public void ToJson_Valid_HasFileValidTaskCountAndNoErrors()
    {
        var definition = new WorkflowDefinition("etl", [new TaskDefinition("a", NoopSpec.Instance), new TaskDefinition("b", NoopSpec.Instance)]);

        using var doc = JsonDocument.Parse(ValidateCommand.ToJson("flow.yaml", new WorkflowLoadResult(definition, [])));
        var root = doc.RootElement;

        Assert.Equal(["file", "valid", "tasks", "errors", "warnings"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("flow.yaml", root.GetProperty("file").GetString());
        Assert.True(root.GetProperty("valid").GetBoolean());
        Assert.Equal(2, root.GetProperty("tasks").GetInt32());
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public void ToJson_Invalid_ListsEveryErrorWithItsPlace()
    {
        WorkflowError[] errors =
        [
            new(new SourceLocation("flow.yaml", 7, 5), "unknown dependency 'x'"),
            new(null, "flow.yaml: file not found"),
        ];

        using var doc = JsonDocument.Parse(ValidateCommand.ToJson("flow.yaml", new WorkflowLoadResult(null, errors)));
        var root = doc.RootElement;

        Assert.False(root.GetProperty("valid").GetBoolean());
        Assert.Equal(0, root.GetProperty("tasks").GetInt32());
        var list = root.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        Assert.Equal(["file", "line", "column", "message"], list[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("flow.yaml", list[0].GetProperty("file").GetString());
        Assert.Equal(7, list[0].GetProperty("line").GetInt32());
        Assert.Equal(5, list[0].GetProperty("column").GetInt32());
        Assert.Equal("unknown dependency 'x'", list[0].GetProperty("message").GetString());
        Assert.Equal("flow.yaml", list[1].GetProperty("file").GetString());
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("line").ValueKind);
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("column").ValueKind);
    }
}
