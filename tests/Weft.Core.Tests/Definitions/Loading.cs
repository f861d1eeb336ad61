using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>Helpers shared by the loader tests.</summary>
internal static class Loading
{
    /// <summary>Text from lines written as a C# raw string, with '\n' line ends whatever the platform.</summary>
    public static string Text(string text) => text.ReplaceLineEndings("\n");

    public static IReadOnlyList<WorkflowError> Errors(string text, string file = "flow.yaml", WorkflowLoadOptions? options = null)
    {
        var e = Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.Parse(Text(text), file, options));
        return e.Errors;
    }

    /// <summary>The one error, asserted to stand at <paramref name="line"/>:<paramref name="column"/>.</summary>
    public static WorkflowError Single(string text, int line, int column, string file = "flow.yaml")
    {
        var error = Assert.Single(Errors(text, file));
        Assert.Equal(new SourceLocation(file, line, column), error.Location);
        return error;
    }
}
