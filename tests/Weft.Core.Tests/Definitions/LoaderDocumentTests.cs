using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>Document-level rules of the loader: duplicated keys anywhere (issue #11, item 15),
/// syntax errors with their place (issue #13), <c>$schema</c> (issue #13), error counts.</summary>
public sealed class LoaderDocumentTests
{
    [Fact]
    public void Parse_DuplicatedKind_IsADuplicateKeyWithBothPlaces()
    {
        var error = Loading.Single("""
            name: dup
            tasks:
              a:
                shell: echo 1
                shell: echo 2
            """, 5, 5);

        Assert.Equal("duplicate key 'shell'; it is first at flow.yaml:4:5", error.Message);
    }

    [Fact]
    public void Parse_DuplicatedKeysAnywhere_AreEachReported()
    {
        var errors = Loading.Errors("""
            name: dup
            name: dup2
            params: {p: 1, q: 2, p: 3}
            tasks:
              a:
                http: {url: "https://example.com", url: "https://example.org"}
            """);

        Assert.Equal(
        [
            "flow.yaml:2:1: duplicate key 'name'; it is first at flow.yaml:1:1",
            "flow.yaml:3:22: duplicate key 'p'; it is first at flow.yaml:3:10",
            "flow.yaml:6:40: duplicate key 'url'; it is first at flow.yaml:6:12",
        ], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_DuplicatedKeyInJson_IsADuplicateKeyWithBothPlaces()
    {
        var error = Loading.Single("""{"name": "dup", "tasks": {"a": {"noop": {}, "noop": {}}}}""", 1, 45, "flow.json");

        Assert.Equal("duplicate key 'noop'; it is first at flow.json:1:33", error.Message);
    }

    [Fact]
    public void Parse_RepeatedMergeKeys_AreNotDuplicates()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: merges
            tasks:
              a: {noop: {}, <<: {timeout: 1m}, <<: {priority: high}}
            """), "flow.yaml");

        Assert.Equal(TimeSpan.FromMinutes(1), definition.Tasks[0].Timeout);
        Assert.Equal(TaskPriority.High, definition.Tasks[0].Priority);
    }

    [Theory]
    [InlineData("name: [unclosed", 2, 1, "YAML syntax error: While parsing a flow sequence, did not find expected ',' or ']'.")]
    [InlineData("name: x\ntasks: {a:  ]]]", 2, 13, "YAML syntax error: While parsing a node, did not find expected node content.")]
    [InlineData("{\"name\": \"x\", \"tasks\": {\"a\": ", 1, 30, "JSON syntax error: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    public void Parse_SyntaxErrors_SayWhereAndWhatWasExpected(string text, int line, int column, string message)
    {
        var file = text.StartsWith('{') ? "flow.json" : "flow.yaml";

        var error = Loading.Single(text, line, column, file);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_InputThatBreaksYamlDotNetsScanner_IsASyntaxErrorWithItsPlace()
    {
        // Found by the loader fuzzing: YamlDotNet threw InvalidOperationException ("Operation is not
        // valid due to the current state of the object"), which `weft validate` reported with exit 1.
        var error = Loading.Single("name: x\ntasks:\n  b: [x: y\n c]\n", 4, 2);

        Assert.StartsWith("YAML syntax error: cannot read on from here; check the brackets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonSyntaxErrorInALongFile_IsOneShortLineWithItsPlace()
    {
        var text = "name: many\ntasks:\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"  t{i}:\n    noop: {{}}\n"));

        var error = Assert.Single(Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.Parse(text, "flow.json")).Errors);

        Assert.Equal(1, error.Location!.Line);
        Assert.StartsWith("JSON syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Theory]
    [InlineData("flow.yaml", "$schema: ../schema/weft-workflow.schema.json\nname: s\ntasks:\n  a:\n    noop: {}\n")]
    [InlineData("flow.json", "{\"$schema\": \"../schema/weft-workflow.schema.json\", \"name\": \"s\", \"tasks\": {\"a\": {\"noop\": {}}}}")]
    public void Parse_SchemaKey_IsAcceptedAndIgnored(string file, string text)
    {
        var definition = WorkflowLoader.Parse(text, file);

        Assert.Equal("s", definition.Name);
        Assert.DoesNotContain("schema", DefinitionJson.Write(definition), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyErrors_ListsTheFirstHundredAndCountsTheRest()
    {
        var tasks = string.Concat(Enumerable.Range(0, 150).Select(i => $"  t{i}:\n    noop: {{}}\n    dependsOn: [ghost{i}]\n"));

        var errors = Loading.Errors("name: many\ntasks:\n" + tasks);

        Assert.Equal(WorkflowLoadOptions.DefaultMaxErrors + 1, errors.Count);
        Assert.Equal(new SourceLocation("flow.yaml", 5, 17), errors[0].Location);
        Assert.Equal("… and 50 more errors (only the first 100 are listed)", errors[^1].Message);
        Assert.Null(errors[^1].Location);
    }
}
