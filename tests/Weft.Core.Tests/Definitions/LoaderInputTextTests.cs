using System.Text;
using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>What a workflow file may hold as text: invalid UTF-8, NUL and control characters are
/// one error at their line:column (issue #11, item 14); byte order marks are fine.</summary>
public sealed class LoaderInputTextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-text-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LoadFile_InvalidUtf8_ErrorAtItsLineAndColumn()
    {
        var path = Write("bad.yaml", [.. "name: x\ntasks:\n  a:\n    shell: echo é"u8, 0xFF, 0xFE, .. " 1\n"u8]);

        var error = Assert.Single(Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.LoadFile(path)).Errors);

        Assert.Equal(new SourceLocation(path, 4, 18), error.Location);
        Assert.Equal("the file is not valid UTF-8: byte 0xFF here starts no character; save the workflow as UTF-8 text", error.Message);
    }

    [Fact]
    public void LoadFile_TruncatedUtf8AtTheEnd_IsAnErrorToo()
    {
        var path = Write("cut.yaml", [.. "name: x\n#"u8, 0xC3]);

        var error = Assert.Single(Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.LoadFile(path)).Errors);

        Assert.Equal(new SourceLocation(path, 2, 2), error.Location);
    }

    [Theory]
    [InlineData("flow.yaml")]
    [InlineData("flow.json")]
    public void Parse_NulByte_ErrorAtItsPlace(string file)
    {
        var text = file.EndsWith(".json", StringComparison.Ordinal)
            ? "{\"name\": \"x\",\n \"tasks\": {\"a\": {\"shell\": \"echo \0\"}}}"
            : "name: x\ntasks:\n  a:\n    shell: \"echo \0 1\"\n";

        var error = Assert.Single(Loading.Errors(text, file));

        Assert.Equal(file.EndsWith(".json", StringComparison.Ordinal) ? new SourceLocation(file, 2, 33) : new SourceLocation(file, 4, 18), error.Location);
        Assert.StartsWith("a NUL byte (U+0000) is not allowed in a workflow file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x07, "the control character U+0007")]
    [InlineData(0xD800, "a lone UTF-16 surrogate (U+D800)")]
    [InlineData(0xDC00, "a lone UTF-16 surrogate (U+DC00)")]
    [InlineData(0xFFFF, "the non-character U+FFFF")]
    public void Parse_ForbiddenCharacters_ErrorAtTheirPlace(int character, string named)
    {
        // Built here: a lone surrogate would not survive being test data.
        var error = Assert.Single(Loading.Errors($"name: x\ntasks:\n  a:\n    shell: echo {(char)character}\n"));

        Assert.Equal(new SourceLocation("flow.yaml", 4, 17), error.Location);
        Assert.StartsWith(named + " is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EscapedNulAndAstralCharacters_AreFine()
    {
        var definition = WorkflowLoader.Parse("name: x\ntasks:\n  a:\n    shell: \"echo \\0 😀\"\n", "flow.yaml");

        Assert.Equal("echo \0 😀", Assert.IsType<ShellSpec>(definition.Tasks[0].Spec).Command);
    }

    [Fact]
    public void LoadFile_ByteOrderMarks_AreRead()
    {
        const string text = "name: marked\ntasks:\n  a:\n    noop: {}\n";
        var utf8 = Write("utf8.yaml", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);
        var utf16 = Write("utf16.yaml", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

        Assert.Equal("marked", WorkflowLoader.LoadFile(utf8).Name);
        Assert.Equal("marked", WorkflowLoader.LoadFile(utf16).Name);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
