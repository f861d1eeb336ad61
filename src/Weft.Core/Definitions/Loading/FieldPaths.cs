namespace Weft.Definitions.Loading;

/// <summary>Names of task fields shared by the reader (which records places under them) and the
/// validator (which looks places up by them).</summary>
internal static class FieldPaths
{
    public const string Name = "name";
    public const string Kind = "kind";
    public const string DependsOn = "dependsOn";
    public const string Timeout = "timeout";
    public const string Retry = "retry";
    public const string CacheKey = "cache.key";
    public const string MapOver = "map.over";
    public const string MapMaxParallel = "map.maxParallel";
    public const string Wait = "wait";
    public const string WaitSignal = "wait.signal";
    public const string WaitUntil = "wait.until";
    public const string WaitHttp = "wait.http";
    public const string WaitEvery = "wait.every";
    public const string WaitTimeout = "wait.timeout";
    public const string Workflow = "workflow";
    public const string WorkflowParams = "params";

    public static string Item(string list, int index) => $"{list}[{index}]";

    public static string Member(string parent, string name) => $"{parent}.{name}";
}
