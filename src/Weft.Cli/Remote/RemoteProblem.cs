namespace Weft.Cli.Remote;

/// <summary>An error answer from a Weft server (RFC 7807 problem details), or no answer at all.</summary>
internal sealed class RemoteProblem(int status, string message, IReadOnlyList<string> errors) : Exception(message)
{
    /// <summary>The HTTP status; 0 when the server could not be reached.</summary>
    public int Status { get; } = status;

    /// <summary>The problem's field errors, flattened ("inline.yaml:3:5: …"); empty when it had none.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;

    /// <summary>Bad input (400) maps to exit code 2; anything else to 1.</summary>
    public int ExitCode => Status == 400 ? ExitCodes.InvalidInput : ExitCodes.Failed;
}
