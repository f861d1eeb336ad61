using System.Text;

namespace Weft.Tests.EndToEnd;

/// <summary>`weft validate` and `weft run` on hostile or broken workflow files (issues #11 and #13):
/// each is an input mistake, so exit 2 with file:line:col on stderr, no stack trace, and quickly.</summary>
[Trait("Category", "EndToEnd")]
public sealed class HostileWorkflowFileTests : IDisposable
{
    private readonly WorkflowFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "unclosed.yaml", "name: [unclosed\n", "unclosed.yaml:2:1: YAML syntax error: While parsing a flow sequence, did not find expected ',' or ']'." },
        { "brackets.yaml", "name: x\ntasks: {a:  ]]]\n", "brackets.yaml:2:13: YAML syntax error: While parsing a node, did not find expected node content." },
        { "scanner.yaml", "name: x\ntasks:\n  b: [x: y\n c]\n", "scanner.yaml:4:2: YAML syntax error: cannot read on from here" },
        { "nul.yaml", "name: x\ntasks:\n  a:\n    shell: echo \0 1\n", "nul.yaml:4:17: a NUL byte (U+0000) is not allowed in a workflow file" },
        { "dup.yaml", "name: x\ntasks:\n  a:\n    shell: echo 1\n    shell: echo 2\n", "dup.yaml:5:5: duplicate key 'shell'; it is first at dup.yaml:4:5" },
        { "bomb.yaml", BombYaml, "bomb.yaml:11:33: the workflow holds more than 500000 values here" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Validate_BadFile_Exits2WithThePlace(string name, string text, string expected)
    {
        File.WriteAllText(Path.Combine(_files.Directory, name), text, new UTF8Encoding(false));

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", name);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unclosed.yaml", "name: [unclosed\n")]
    [InlineData("scanner.yaml", "name: x\ntasks:\n  b: [x: y\n c]\n")]
    public async Task Run_SyntaxError_Exits2WithThePlace(string name, string text)
    {
        _files.Write(name, text);

        var result = await WeftProcess.RunAsync(_files.Directory, "run", name);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{name}:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation is not valid", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidUtf8_Exits2WithLineAndColumn()
    {
        File.WriteAllBytes(Path.Combine(_files.Directory, "latin1.yaml"), [.. "name: x\ntasks:\n  a:\n    shell: echo caf"u8, 0xE9, .. "\n"u8]);

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", "latin1.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("latin1.yaml:4:20: the file is not valid UTF-8: byte 0xE9", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DevZero_Exits2InsteadOfRunningOutOfMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // no /dev/zero
        }

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", "/dev/zero");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("/dev/zero: the workflow is larger than 4194304 bytes", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_JsonWithSchemaKey_IsValid()
    {
        _files.Write("flow.json", """{"$schema": "https://weft.dev/schema/weft-workflow.schema.json", "name": "s", "tasks": {"a": {"noop": {}}}}""");

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", "flow.json");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private const string BombYaml = """
        name: bomb
        tasks:
          a:
            shell: echo hi
            with:
              l0: &a ["x","x","x","x","x","x","x","x","x"]
              l1: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
              l2: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
              l3: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
              l4: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
              l5: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
              l6: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
              l7: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
              l8: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]

        """;
}
