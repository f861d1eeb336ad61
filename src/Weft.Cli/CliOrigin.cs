namespace Weft.Cli;

/// <summary>How this command names itself in what the store records (who triggered a run, who sent a
/// signal): <c>cli user@host</c>.</summary>
internal static class CliOrigin
{
    public static string Name => $"cli {Environment.UserName}@{Environment.MachineName}";
}
