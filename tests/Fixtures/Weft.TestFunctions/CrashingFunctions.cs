namespace Weft.TestFunctions;

/// <summary>Functions that misbehave the way real user code sometimes does, so tests can watch weft cope.</summary>
public static class CrashingFunctions
{
    public const string CrashWorker = "weft-test.crash-worker";

    /// <summary>Ends the process that runs it at once (no finally blocks, no graceful stop): a handler
    /// that takes its worker down, which the cluster must quarantine rather than retry for ever.</summary>
    [WeftFunction(CrashWorker)]
    public static string Crash()
    {
        Environment.FailFast($"{CrashWorker}: crashing this worker on purpose");
        return "unreachable";
    }
}
