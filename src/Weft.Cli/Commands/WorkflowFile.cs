using Weft.Definitions;

namespace Weft.Cli.Commands;

/// <summary>Loads a workflow file for a command, turning every way it can be bad into
/// <see cref="WorkflowError"/>s (file:line:col: message) instead of exceptions.</summary>
internal static class WorkflowFile
{
    /// <summary><paramref name="options"/> carries the kinds plug-ins add (<see cref="Plugins.TaskKinds.LoadOptions"/>).</summary>
    public static WorkflowLoadResult Load(string path, WorkflowLoadOptions? options = null)
    {
        try
        {
            var definition = WorkflowLoader.LoadFile(path, options, out var warnings);
            return new WorkflowLoadResult(definition, []) { Warnings = warnings };
        }
        catch (WorkflowValidationException ex)
        {
            return new WorkflowLoadResult(null, ex.Errors);
        }
        catch (FileNotFoundException)
        {
            return Failed(path, "file not found");
        }
        catch (DirectoryNotFoundException)
        {
            return Failed(path, "file not found");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(path, $"cannot read file: {ex.Message}");
        }
    }

    /// <summary>Loads <paramref name="path"/> or writes every error to <paramref name="error"/>.</summary>
    public static WorkflowDefinition? LoadOrReport(string path, TextWriter error, WorkflowLoadOptions? options = null)
    {
        var result = Load(path, options);
        foreach (var e in result.Warnings.Concat(result.Errors))
        {
            error.WriteLine(e.ToString());
        }

        return result.Definition;
    }

    private static WorkflowLoadResult Failed(string path, string message) =>
        new(null, [new WorkflowError(null, $"{path}: {message}")]);
}

internal sealed record WorkflowLoadResult(WorkflowDefinition? Definition, IReadOnlyList<WorkflowError> Errors)
{
    /// <summary>About a valid file: printed, but the file is still run and the exit code stays 0.</summary>
    public IReadOnlyList<WorkflowError> Warnings { get; init; } = [];
}
