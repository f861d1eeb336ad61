using Weft.Definitions;

namespace Weft.Tests.Definitions;

public sealed class DeadlineTests
{
    [Fact]
    public void Parse_DeadlinesOnWorkflowAndTasks_ReadsDurationsAndTimes()
    {
        var flow = WorkflowLoader.Parse(Loading.Text("""
            name: etl
            deadline: 1h30m
            tasks:
              a:
                noop: {}
                deadline: 90s
              b:
                noop: {}
                deadline: 2026-01-01T06:00:00+02:00
              c:
                noop: {}
            """), "flow.yaml");

        Assert.Equal(DeadlineSpec.AfterSubmit(TimeSpan.FromMinutes(90)), flow.Deadline);
        Assert.Equal(DeadlineSpec.AfterSubmit(TimeSpan.FromSeconds(90)), flow.Tasks[0].Deadline);
        Assert.Equal(DeadlineSpec.AtTime(new DateTimeOffset(2026, 1, 1, 4, 0, 0, TimeSpan.Zero)), flow.Tasks[1].Deadline);
        Assert.Null(flow.Tasks[2].Deadline);
    }

    [Fact]
    public void Parse_TimeWithoutOffset_IsUtc()
    {
        Assert.True(DeadlineSpec.TryParse("2026-01-01T06:00:00", out var deadline));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero), deadline!.At);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5m")]
    [InlineData("1/2/2026")]
    [InlineData("2026-13-01T00:00:00Z")]
    public void TryParse_BadText_Fails(string text) => Assert.False(DeadlineSpec.TryParse(text, out _));

    [Fact]
    public void Parse_BadTaskDeadline_ReportsTheValueAndItsPlace()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              x:
                shell: echo
                deadline: tomorrow
            """, 5, 15);

        Assert.Equal(
            "bad deadline 'tomorrow' in task 'x'; expected a duration such as 250ms, 10s, 5m, 2h, 1d or PT5M, or a time such as 2026-01-01T06:00:00Z",
            error.Message);
    }

    [Fact]
    public void Parse_BadWorkflowDeadline_ReportsItsPlace()
    {
        var error = Loading.Single("""
            name: etl
            deadline: [1h]
            tasks:
              x:
                shell: echo
            """, 2, 11);

        Assert.StartsWith("bad deadline a list in the workflow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Deadlines_RoundTripThroughTheLoader()
    {
        var flow = Workflow.Create("etl")
            .Deadline(TimeSpan.FromHours(2))
            .Task("a", t => t.Noop().Deadline(TimeSpan.FromMilliseconds(1500)))
            .Task("b", t => t.Noop().Deadline(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.FromHours(-4))))
            .Build();

        var json = DefinitionJson.Write(flow);
        var back = WorkflowLoader.Parse(json, "stored.json");

        Assert.Contains("\"deadline\":\"7200000ms\"", json, StringComparison.Ordinal);
        Assert.Equal(flow.Deadline, back.Deadline);
        Assert.Equal(flow.Tasks[0].Deadline, back.Tasks[0].Deadline);
        Assert.Equal(flow.Tasks[1].Deadline, back.Tasks[1].Deadline);
        Assert.Equal(json, DefinitionJson.Write(back));
    }
}
