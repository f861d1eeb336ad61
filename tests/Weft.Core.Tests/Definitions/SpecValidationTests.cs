using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Definitions.Validation;
using Weft.Templates;

namespace Weft.Tests.Definitions;

/// <summary>What a shell or http task would only fail on when it runs is a validation error at its
/// place; templates the shell would not expand as meant are warnings.</summary>
public sealed class SpecValidationTests
{
    [Theory]
    [InlineData("\"GET file:///etc/passwd\"", "not 'file:///etc/passwd'")]
    [InlineData("5", "not '5'")]
    [InlineData("\"POST ftp://example.com/x\"", "not 'ftp://example.com/x'")]
    [InlineData("\"GET example.com/{{ params.p }}\"", "not 'example.com/{{ params.p }}'")]
    public void Parse_UrlThatIsNotHttp_IsAnErrorAtTheUrl(string http, string expected)
    {
        var error = Assert.Single(Loading.Errors($$"""
            name: etl
            params:
              p: {}
            tasks:
              x:
                http: {{http}}
            """));

        Assert.Equal(6, error.Location!.Line);
        Assert.Contains("must be an absolute http:// or https:// URL", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"GET https://example.com/{{ params.p }}\"")]
    [InlineData("\"GET {{ params.p }}/hello.txt\"")]
    [InlineData("\"GET http://{{ params.p }}:8080/x\"")]
    public void Parse_HttpUrlOrTemplateBase_IsValid(string http)
    {
        var definition = WorkflowLoader.Parse(Loading.Text($$"""
            name: etl
            params:
              p: {}
            tasks:
              x:
                http: {{http}}
            """), "flow.yaml");

        Assert.IsType<HttpSpec>(definition.Tasks[0].Spec);
    }

    [Fact]
    public void Parse_HeaderNameWithSpace_IsAnErrorAtTheHeader()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                http:
                  url: https://example.com
                  headers: { "X Bad": v }
            """, 6, 27);

        Assert.Contains("header name 'X Bad' in task 'x' is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HeaderValueWithLineBreak_IsAnErrorAtTheHeader()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                http:
                  url: https://example.com
                  headers:
                    X-A: "a\r\nX-B: b"
            """, 7, 14);

        Assert.Contains("holds a line break", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"A=B\"", "a name with '='")]
    [InlineData("\"\"", "an empty name")]
    [InlineData("WEFT_V0", "a name starting with 'WEFT_V'")]
    public void Parse_BadEnvName_IsAnErrorAtTheVariable(string name, string expected)
    {
        var error = Loading.Single($$"""
            name: etl
            tasks:
              x:
                shell:
                  command: env
                  env: { {{name}}: 1 }
            """, 6, 16 + name.Length);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    public void Parse_EmptyShellCommand_IsAnErrorAtTheCommand(string command)
    {
        var error = Loading.Single($$"""
            name: etl
            tasks:
              x:
                shell: {{command}}
            """, 4, 12);

        Assert.Equal("'shell' in task 'x' has an empty command", error.Message);
    }

    [Fact]
    public void Validate_DefinitionBuiltInCode_GetsTheSameChecks()
    {
        var def = new WorkflowDefinition("etl",
        [
            new TaskDefinition("h", new HttpSpec("GET", "file:///etc/passwd")
            {
                Headers = new Dictionary<string, string> { ["X-A"] = "a\nb" },
                Body = "x",
                Json = new JsonObject(),
            }),
            new TaskDefinition("s", new ShellSpec("") { Env = new Dictionary<string, string> { ["A=B"] = "1" } }),
        ]);

        var messages = WorkflowValidator.Validate(def).Select(e => e.Message).ToList();

        Assert.Equal(5, messages.Count);
        Assert.Contains(messages, m => m.Contains("absolute http://", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("line break", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("both 'body' and 'json'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("empty command", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'A=B'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BodyAndJson_IsOneErrorAtTheBody()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                http:
                  url: https://example.com
                  body: text
                  json: { a: 1 }
            """, 6, 13);

        Assert.Equal("'http' in task 'x' has both 'body' and 'json'; give the body one way", error.Message);
    }

    [Fact]
    public void Parse_JsonBody_TemplatesAreCheckedAtTheirPlace()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                http:
                  url: https://example.com
                  json: { name: "{{ params.nope }}" }
            """, 6, 22);

        Assert.Contains("unknown param 'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShellTemplateInSingleQuotesOrUnquoted_WarnsAtTheTemplate()
    {
        var text = Loading.Text("""
            name: etl
            params:
              who: {}
            tasks:
              single:
                shell: "echo 'hi {{ params.who }}'"
              bare:
                shell: echo {{ params.who }}
              double:
                shell: echo "hi {{ params.who }}" "$(printf '%s' "{{ params.who }}")"
            """);

        var definition = WorkflowLoader.Parse(text, "flow.yaml", null, out var warnings);

        Assert.Equal(3, definition.Tasks.Count);
        Assert.Equal(2, warnings.Count);
        Assert.Equal(new SourceLocation("flow.yaml", 6, 22), warnings[0].Location);
        Assert.StartsWith("warning: in task 'single', {{ params.who }} is inside single quotes", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("use double quotes: \"{{ params.who }}\"", warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("flow.yaml", 8, 17), warnings[1].Location);
        Assert.StartsWith("warning: in task 'bare', {{ params.who }} is not quoted", warnings[1].Message, StringComparison.Ordinal);
        Assert.Contains("write \"{{ params.who }}\"", warnings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShellArgsForm_HasNoQuotingWarnings()
    {
        var text = Loading.Text("""
            name: etl
            params:
              who: {}
            tasks:
              x:
                shell: { command: echo, args: ["{{ params.who }}"] }
            """);

        WorkflowLoader.Parse(text, "flow.yaml", null, out var warnings);

        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("echo {{ params.x }}", "None")]
    [InlineData("echo '{{ params.x }}'", "Single")]
    [InlineData("echo \"{{ params.x }}\"", "Double")]
    [InlineData("echo \"it's {{ params.x }}\"", "Double")]
    [InlineData("echo \\'{{ params.x }}", "None")]
    [InlineData("echo \"$(cat \"{{ params.x }}\")\"", "Double")]
    [InlineData("echo \"$(cat {{ params.x }})\"", "None")]
    [InlineData("echo \"{{ '{{' }}\" {{ params.x }}", "None")]
    [InlineData("echo {{ '{{' }}' {{ params.x }}'", "Single")]
    public void ShellTemplateQuoting_FindsTheQuotingAtTheTemplate(string command, string expected)
    {
        var reference = Template.Parse(command).References.Single();

        Assert.Equal(expected, ShellTemplateQuoting.At(command, reference.Offset).ToString());
    }

    [Fact]
    public void Template_EscapedOpeningBraces_RenderAsBraces()
    {
        var template = Template.Parse("{{ '{{' }} params.x }} is {{ params.x }}");

        Assert.Empty(template.Errors);
        Assert.Single(template.References);
        Assert.Equal("{{ params.x }} is 1", template.Render(_ => "1"));
        Assert.Equal("just {{", Template.Parse("just {{ '{{' }}").Render(_ => "unused"));
    }

    [Fact]
    public void Template_RawFilter_MarksTheReference()
    {
        var raw = Template.Parse("{{ params.p | raw }}").References.Single();
        var unknown = Template.Parse("{{ params.p | upper }}");

        Assert.True(raw.Raw);
        Assert.Equal("params.p", raw.ToString());
        Assert.Contains("unknown filter 'upper'", Assert.Single(unknown.Errors).Message, StringComparison.Ordinal);
    }
}
