using Weft.Definitions;
using Weft.Registry;

namespace Weft.Tests.Registry;

/// <summary>Issue #11 item 10b: a secret parameter's default is part of a registered workflow's text,
/// which the API shows to readers without a token; the text shown has it masked.</summary>
public sealed class SecretDefaultsTests
{
    private const string Secret = "hunter2-very-secret";

    private static RegisteredWorkflow Registered(string source, string fileName = "wf.yaml") =>
        new("wf", 1, "h", DateTimeOffset.UnixEpoch, WorkflowLoader.Parse(source, fileName), source);

    [Fact]
    public void Yaml_SecretDefaultMasked_OtherDefaultsKept_TextStillLoads()
    {
        var source = """
            name: wf
            params:
              region: eu-west
              token: { secret: true, default: SECRET }
            tasks:
              a:
                shell: echo {{ params.token }}
            """.Replace("SECRET", Secret, StringComparison.Ordinal);

        var masked = Registered(source).MaskedSource;

        Assert.DoesNotContain(Secret, masked, StringComparison.Ordinal);
        Assert.Contains("token: { secret: true, default: \"***\" }", masked, StringComparison.Ordinal);
        Assert.Contains("region: eu-west", masked, StringComparison.Ordinal);
        Assert.Equal("***", WorkflowLoader.Parse(masked, "wf.yaml").Params.Single(p => p.Name == "token").Default);
    }

    [Fact]
    public void Json_BlockScalarAndRepeatedValue_AllMasked()
    {
        var json = """
            {"name": "wf", "params": {"token": {"secret": true, "default": "SECRET"}},
             "tasks": {"a": {"shell": "echo SECRET"}}}
            """.Replace("SECRET", Secret, StringComparison.Ordinal);
        var block = """
            name: wf
            params:
              token:
                secret: true
                default: |
                  SECRET
            tasks:
              a:
                noop: {}
            """.Replace("SECRET", Secret, StringComparison.Ordinal);

        Assert.DoesNotContain(Secret, Registered(json, "wf.json").MaskedSource, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, Registered(block).MaskedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSecretDefault_TextUnchanged()
    {
        const string Source = "name: wf\nparams:\n  token: { secret: true }\ntasks:\n  a:\n    noop: {}\n";

        Assert.Same(Source, Registered(Source).MaskedSource);
    }
}
