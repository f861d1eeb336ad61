using Cronos;

namespace Weft.Definitions.Loading;

/// <summary>Reading the top-level <c>schedule: { cron, timezone, catchUp }</c>.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] ScheduleFields = ["cron", "timezone", "catchUp"];

    private static readonly (string Name, ScheduleCatchUp Value)[] CatchUps =
        [("none", ScheduleCatchUp.None), ("latest", ScheduleCatchUp.Latest), ("all", ScheduleCatchUp.All)];

    private ScheduleDefinition? ReadSchedule(DocNode node)
    {
        if (node is DocScalar { IsNull: true })
        {
            return null;
        }

        if (node is not DocMapping map)
        {
            Error(node.Location, $"'schedule' must be a mapping with {Names.List(ScheduleFields)}, not {node.Describe}");
            return null;
        }

        var f = Fields(map, "in 'schedule'", ScheduleFields);
        if (!f.TryGetValue("cron", out var c))
        {
            Error(map.Location, "'schedule' needs 'cron', e.g. cron: \"0 2 * * *\"");
            return null;
        }

        if (Text(c.Value, "'cron' in 'schedule'") is not { } cron)
        {
            return null;
        }

        try
        {
            ScheduleDefinition.ParseCron(cron);
        }
        catch (CronFormatException ex)
        {
            Error(c.Value.Location, $"bad cron expression '{cron}' in 'schedule': {ex.Message}");
        }

        var schedule = new ScheduleDefinition(cron) { Location = map.Location };
        if (f.TryGetValue("timezone", out var tz) && Text(tz.Value, "'timezone' in 'schedule'") is { } zone)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                Error(tz.Value.Location, $"unknown time zone '{zone}' in 'schedule'; expected an IANA id such as Europe/Paris or UTC");
            }

            schedule = schedule with { TimeZone = zone };
        }

        if (f.TryGetValue("catchUp", out var cu) && Enum(cu.Value, "catchUp", "in 'schedule'", CatchUps) is { } catchUp)
        {
            schedule = schedule with { CatchUp = catchUp };
        }

        return schedule;
    }
}
