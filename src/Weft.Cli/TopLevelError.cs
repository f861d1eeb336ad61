namespace Weft.Cli;

/// <summary>The last catch: an exception nobody expected becomes <c>error: message</c> on stderr and
/// exit code 1. The stack trace is shown only with <c>WEFT_DEBUG=1</c>.</summary>
internal static class TopLevelError
{
    public const string DebugVariable = "WEFT_DEBUG";

    public static int Report(Exception exception, TextWriter error, bool? debug = null)
    {
        if (debug ?? Environment.GetEnvironmentVariable(DebugVariable) == "1")
        {
            error.WriteLine($"error: {exception}");
        }
        else
        {
            error.WriteLine($"error: {Innermost(exception).Message}");
        }

        return ExitCodes.Failed;
    }

    // An AggregateException or TargetInvocationException says nothing useful itself.
    private static Exception Innermost(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Innermost(a.InnerExceptions[0]),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Innermost(inner),
        _ => exception,
    };
}
