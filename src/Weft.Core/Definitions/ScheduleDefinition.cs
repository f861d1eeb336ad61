using Cronos;

namespace Weft.Definitions;

/// <summary>What happens to schedule ticks missed while no server was running (Airflow's catchup).</summary>
public enum ScheduleCatchUp
{
    /// <summary>Missed ticks are skipped; the next tick runs as usual.</summary>
    None,

    /// <summary>Only the most recent missed tick runs.</summary>
    Latest,

    /// <summary>Every missed tick runs, oldest first.</summary>
    All,
}

/// <summary>A workflow's <c>schedule:</c> a cron expression (5 fields, or 6 with seconds) read in
/// <see cref="TimeZone"/> (an IANA id; UTC when null).</summary>
public sealed record ScheduleDefinition(string Cron)
{
    /// <summary>IANA time zone id the cron expression is read in (e.g. <c>Europe/Paris</c>); null for UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>What happens to ticks missed while no server ran. Default <see cref="ScheduleCatchUp.None"/>.</summary>
    public ScheduleCatchUp CatchUp { get; init; } = ScheduleCatchUp.None;

    /// <summary>Where <c>schedule:</c> stands in its file; null for a definition built in C#.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The parsed expression. Throws <see cref="CronFormatException"/> for a bad one
    /// (the loader reports that with its place first).</summary>
    public CronExpression Expression() => ParseCron(Cron);

    /// <summary>The time zone; UTC when none is given.</summary>
    public TimeZoneInfo Zone() => TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    internal static CronExpression ParseCron(string cron) =>
        CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
}
