using System.Text.Json.Nodes;

namespace Weft.Tests.EndToEnd;

/// <summary><c>weft validate</c> prints warnings (file:line:col: warning: ...) for a valid file and
/// still exits 0; an invalid file still exits 2.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ValidateWarningsEndToEndTests : IDisposable
{
    private const string Unquoted = """
        name: greet
        params:
          who: {}
        tasks:
          hello:
            shell: echo {{ params.who }}
          quoted:
            shell: "echo 'hi {{ params.who }}'"
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Validate_TemplatesTheShellWouldMangle_WarnsWithPlaceAndExits0()
    {
        var file = _files.Write("greet.yaml", Unquoted);

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("✓ greet.yaml: valid (2 tasks)", result.Stdout.Trim());
        var lines = result.Stderr.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("greet.yaml:6:17: warning: in task 'hello', {{ params.who }} is not quoted", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("greet.yaml:8:22: warning: in task 'quoted', {{ params.who }} is inside single quotes", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Validate_Json_ListsWarningsWithPlaces()
    {
        var file = _files.Write("greet.yaml", Unquoted);

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", file, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var root = JsonNode.Parse(result.Stdout)!;
        Assert.True(root["valid"]!.GetValue<bool>());
        var warnings = root["warnings"]!.AsArray();
        Assert.Equal(2, warnings.Count);
        Assert.Equal(6, warnings[0]!["line"]!.GetValue<int>());
        Assert.Equal(17, warnings[0]!["column"]!.GetValue<int>());
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Validate_NonHttpUrl_Exits2WithThePlace()
    {
        var file = _files.Write("fetch.yaml", """
            name: fetch
            tasks:
              get:
                http: "GET file:///etc/passwd"
            """);

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("fetch.yaml:4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("must be an absolute http:// or https:// URL, not 'file:///etc/passwd'", result.Stderr, StringComparison.Ordinal);
    }
}
