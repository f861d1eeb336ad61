using System.Globalization;

namespace Weft.Monitoring;

/// <summary>A running task past its usual run time by more than <see cref="MonitorOptions.SlowTaskMargin"/>.</summary>
internal readonly record struct SlowTask(string RunId, string TaskId, TimeSpan Running, TimeSpan Usual)
{
    /// <summary>Which task it is, for telling a newly slow task from one already reported.</summary>
    public string Identity => $"{RunId}/{TaskId}";

    public override string ToString() =>
        $"run {RunId} task '{TaskId}' running {Seconds(Running)} (usually {Seconds(Usual)})";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
