using Weft.Definitions;

namespace Weft.Tests.Definitions;

public sealed class ScheduleLoadingTests
{
    private const string Tasks = """
        tasks:
          a:
            noop: {}
        """;

    [Fact]
    public void Parse_Schedule_ReadsCronTimezoneAndCatchUp()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: nightly
            schedule:
              cron: "0 2 * * *"
              timezone: Europe/Paris
              catchUp: latest
            """ + "\n" + Tasks), "flow.yaml");

        Assert.Equal(new ScheduleDefinition("0 2 * * *") { TimeZone = "Europe/Paris", CatchUp = ScheduleCatchUp.Latest, Location = definition.Schedule!.Location }, definition.Schedule);
        Assert.Equal("Europe/Paris", definition.Schedule.Zone().Id);
    }

    [Fact]
    public void Parse_NoSchedule_IsNull()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("name: plain\n" + Tasks), "flow.yaml");

        Assert.Null(definition.Schedule);
    }

    [Fact]
    public void Parse_ScheduleDefaults_UtcAndNoCatchUp()
    {
        var schedule = WorkflowLoader.Parse(Loading.Text("name: s\nschedule: { cron: \"*/5 * * * *\" }\n" + Tasks), "flow.yaml").Schedule!;

        Assert.Equal(ScheduleCatchUp.None, schedule.CatchUp);
        Assert.Equal(TimeZoneInfo.Utc, schedule.Zone());
    }

    [Fact]
    public void Parse_BadCron_ErrorAtTheCronValue()
    {
        var error = Loading.Single("name: s\nschedule:\n  cron: \"61 * * * *\"\n" + Tasks, 3, 9);

        Assert.Contains("bad cron expression '61 * * * *'", error.Message);
    }

    [Fact]
    public void Parse_UnknownTimezone_ErrorAtTheTimezone()
    {
        var error = Loading.Single("name: s\nschedule:\n  cron: \"0 2 * * *\"\n  timezone: Mars/Olympus\n" + Tasks, 4, 13);

        Assert.Contains("unknown time zone 'Mars/Olympus'", error.Message);
    }

    [Fact]
    public void Parse_BadCatchUp_ErrorListsTheChoices()
    {
        var error = Loading.Single("name: s\nschedule:\n  cron: \"0 2 * * *\"\n  catchUp: some\n" + Tasks, 4, 12);

        Assert.Contains("expected one of: none, latest, all", error.Message);
    }

    [Fact]
    public void Parse_ScheduleWithoutCron_Error()
    {
        var error = Loading.Single("name: s\nschedule:\n  timezone: UTC\n" + Tasks, 3, 3);

        Assert.Contains("'schedule' needs 'cron'", error.Message);
    }
}
