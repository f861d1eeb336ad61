using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weft.Registry;

namespace Weft.Server.Api;

/// <summary>List, pause, resume and trigger the schedules of registered workflows (the engine's
/// <see cref="ScheduleService"/>: state in the store, shared by every server on it).</summary>
internal static class ScheduleEndpoints
{
    public static void MapReads(RouteGroupBuilder api) =>
        api.MapGet("/schedules", async (WeftEngine engine, CancellationToken ct) =>
                Results.Ok((await engine.Schedules.ListAsync(ct).ConfigureAwait(false)).Select(View)))
            .WithName("ListSchedules").WithSummary("Schedules with their next and last ticks.");

    public static void MapMutations(RouteGroupBuilder api)
    {
        api.MapPost("/schedules/{name}/pause", async (string name, WeftEngine engine, CancellationToken ct) =>
                Found(name, await engine.Schedules.PauseAsync(name, ct).ConfigureAwait(false)))
            .WithName("PauseSchedule").WithSummary("Stops starting runs; ticks while paused are skipped, not caught up.");
        api.MapPost("/schedules/{name}/resume", async (string name, WeftEngine engine, CancellationToken ct) =>
                Found(name, await engine.Schedules.ResumeAsync(name, ct).ConfigureAwait(false)))
            .WithName("ResumeSchedule").WithSummary("Starts runs again from the next tick.");
        api.MapPost("/schedules/{name}/trigger", TriggerAsync)
            .WithName("TriggerSchedule").WithSummary("Starts a run of the scheduled workflow now, outside its ticks.");
    }

    private const int TicksShown = 5;

    public static ScheduleView View(ScheduleStatus s) => new(s.Workflow, s.Schedule.Cron, s.Schedule.TimeZone ?? "UTC",
        RunViews.Name(s.Schedule.CatchUp), s.Paused, s.NextTick, s.LastTick, s.LastRunId)
    { NextTicks = NextTicks(s) };

    // From the engine's next tick on, by the same expression and zone the scheduler uses.
    private static List<DateTimeOffset> NextTicks(ScheduleStatus s)
    {
        var ticks = new List<DateTimeOffset>(TicksShown);
        if (s.NextTick is not { } tick)
        {
            return ticks;
        }

        var (expression, zone) = (s.Schedule.Expression(), s.Schedule.Zone());
        for (DateTimeOffset? t = tick; t is { } at && ticks.Count < TicksShown; t = expression.GetNextOccurrence(at, zone, inclusive: false))
        {
            ticks.Add(at);
        }

        return ticks;
    }

    private static IResult Found(string name, ScheduleStatus? status) =>
        status is not null ? Results.Ok(View(status)) : Problems.NotFound($"no schedule for workflow '{name}'");

    private static async Task<IResult> TriggerAsync(string name, WeftEngine engine, HttpContext context, CancellationToken ct)
    {
        RunHandle? handle;
        try
        {
            handle = await engine.Schedules.TriggerAsync(name, ct).ConfigureAwait(false);
        }
        catch (WeftConfigurationException ex)
        {
            // The workflow cannot run on this server (a function it lacks, a required parameter).
            return Problems.Field("workflow", ex.Errors);
        }

        return handle is null
            ? Problems.NotFound($"no schedule for workflow '{name}'")
            : Results.Created(Locations.Of(context, "schedules", $"runs/{handle.RunId}"), new SubmitResponse(handle.RunId, RunState.Running.ToName(), false, null));
    }
}
