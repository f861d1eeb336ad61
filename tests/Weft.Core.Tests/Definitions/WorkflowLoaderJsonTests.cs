using Weft.Definitions;

namespace Weft.Tests.Definitions;

public sealed class WorkflowLoaderJsonTests
{
    // Tab-indented on purpose: YAML forbids tabs as indentation, JSON files often use them.
    private const string TabbedJson = "{\n\t\"name\": \"etl\",\n\t\"params\": { \"date\": \"2025-01-01\", \"n\": 3 },\n\t\"tasks\": {\n\t\t\"extract\": { \"http\": \"GET http://x/data\" },\n\t\t\"load\": {\n\t\t\t\"shell\": \"./load.sh {{ params.date }}\",\n\t\t\t\"dependsOn\": [\"extract\"],\n\t\t\t\"retry\": { \"strategy\": \"exponential\", \"maxAttempts\": 4, \"retryOn\": [\"http:5xx\"] }\n\t\t}\n\t}\n}\n";

    [Fact]
    public void Parse_TabIndentedJson_LoadsLikeYaml()
    {
        var def = WorkflowLoader.Parse(TabbedJson, "flow.json");

        Assert.Equal("etl", def.Name);
        Assert.Equal(["2025-01-01", "3"], def.Params.Select(p => p.Default));
        Assert.Equal(new HttpSpec("GET", "http://x/data"), def.Tasks[0].Spec);
        Assert.Equal(new SourceLocation("flow.json", 5, 3), def.Tasks[0].Location);
        Assert.Equal(["extract"], def.Tasks[1].DependsOn);
        Assert.Equal(RetryStrategy.Exponential, def.Tasks[1].Retry.Strategy);
        Assert.Equal(4, def.Tasks[1].Retry.MaxAttempts);
        Assert.Equal([new RetryCondition(RetryConditionKind.HttpStatusClass, 5)], def.Tasks[1].Retry.RetryOn);
    }

    [Fact]
    public void Parse_JsonWithErrors_ReportsLineAndColumn()
    {
        var json = TabbedJson.Replace("[\"extract\"]", "[\"extrat\"]").Replace("{{ params.date }}", "{{ params.dat }}");

        var errors = Loading.Errors(json, "flow.json");

        Assert.Equal(
            [
                "flow.json:7:24: template in task 'load' names unknown param 'dat' (did you mean 'date'?)",
                "flow.json:8:18: task 'load' depends on unknown task 'extrat' (did you mean 'extract'?)",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_OneLineJson_PlacesEveryTaskAtItsOwnColumn_CountingCharactersNotBytes()
    {
        // A stored definition is one line; columns must still be exact after multi-byte characters.
        const string json = """{"name":"n","tasks":{"a":{"shell":"echo é"},"b":{"noop":{}},"c":{"noop":{},"dependsOn":["zz"]}}}""";

        var error = Assert.Single(Loading.Errors(json, "one.json"));

        Assert.Equal("one.json:1:89: task 'c' depends on unknown task 'zz'", error.ToString());
        var def = WorkflowLoader.Parse(json.Replace("\"zz\"", "\"a\""), "one.json");
        Assert.Equal([22, 45, 61], def.Tasks.Select(t => t.Location!.Column));
    }

    [Fact]
    public void Parse_JsonSyntaxError_HasAPlaceAndNoPositionNoise()
    {
        var error = Assert.Single(Loading.Errors("{\n\t\"name\": \"etl\"\n\t\"tasks\": {}\n}\n", "flow.json"));

        Assert.Equal(3, error.Location!.Line);
        Assert.StartsWith("JSON syntax error: ", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
    }

    [Fact]
    public void Parse_JsonNumbersAndBooleans_KeepTheirTypesInWith()
    {
        var def = WorkflowLoader.Parse(
            """{ "name": "f", "tasks": { "r": { "function": "go", "with": { "n": 2, "x": 0.5, "b": false, "s": "2" } } } }""",
            "f.json");

        var with = Assert.IsType<FunctionSpec>(def.Tasks[0].Spec).With!;
        Assert.Equal("""{"n":2,"x":0.5,"b":false,"s":"2"}""", with.ToJsonString());
    }

    [Fact]
    public void Parse_JsonTextWithoutJsonExtension_IsReadAsJson()
    {
        var def = WorkflowLoader.Parse("{\n\t\"name\": \"f\",\n\t\"tasks\": { \"a\": { \"noop\": null } }\n}", "<stdin>");

        Assert.Equal("f", def.Name);
    }
}
