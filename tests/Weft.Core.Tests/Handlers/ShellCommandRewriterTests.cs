using Weft.Handlers;

namespace Weft.Tests.Handlers;

public sealed class ShellCommandRewriterTests
{
    [Fact]
    public void Rewrite_EachDistinctReference_BecomesOneVariable()
    {
        var environment = new Dictionary<string, string?>();
        var values = new TestTemplateValues(new Dictionary<string, string> { ["params.a"] = "1; rm -rf /", ["run.id"] = "r" });

        var command = ShellCommandRewriter.Rewrite("echo {{ params.a }}-{{run.id}}-{{ params.a }}", values, environment);

        Assert.Equal("echo ${WEFT_V0}-${WEFT_V1}-${WEFT_V0}", command);
        Assert.Equal("1; rm -rf /", environment["WEFT_V0"]);
        Assert.Equal("r", environment["WEFT_V1"]);
        Assert.Equal(2, environment.Count);
    }

    [Theory]
    [InlineData("echo plain")]
    [InlineData("echo '{{ not closed'")]
    [InlineData("echo {{ bogus.thing }}")]
    public void Rewrite_NoValidReference_LeavesCommandAlone(string command)
    {
        var environment = new Dictionary<string, string?>();

        Assert.Equal(command, ShellCommandRewriter.Rewrite(command, new TestTemplateValues(), environment));
        Assert.Empty(environment);
    }
}
