using Weft.Cli;

namespace Weft.Tests;

public sealed class ParameterParserTests
{
    [Fact]
    public void Parse_NameEqualsValue_SplitsAtFirstEquals()
    {
        var result = ParameterParser.Parse(["date=2026-01-31", "query=a=b", "empty="]);

        Assert.True(result.IsValid);
        Assert.Equal("2026-01-31", result.Values["date"]);
        Assert.Equal("a=b", result.Values["query"]);
        Assert.Equal("", result.Values["empty"]);
    }

    [Fact]
    public void Parse_NoArguments_IsValidAndEmpty()
    {
        var result = ParameterParser.Parse(null);

        Assert.True(result.IsValid);
        Assert.Empty(result.Values);
    }

    [Fact]
    public void Parse_MissingEquals_ReportsTheArgument()
    {
        var result = ParameterParser.Parse(["date"]);

        var error = Assert.Single(result.Errors);
        Assert.Contains("'date'", error, StringComparison.Ordinal);
        Assert.Contains("name=value", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyName_IsAnError()
    {
        var result = ParameterParser.Parse(["=x", " =y"]);

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Contains("no name", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SameNameTwice_IsAnError()
    {
        var result = ParameterParser.Parse(["a=1", "a=2"]);

        Assert.Contains("'a' is given more than once", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsThemAll()
    {
        var result = ParameterParser.Parse(["bad", "=x", "ok=1", "ok=2"]);

        Assert.Equal(3, result.Errors.Count);
    }
}
