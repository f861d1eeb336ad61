using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weft.Server.Runs;
using Weft.Server.Schedules;
using Weft.Server.Workflows;

namespace Weft.Server.Api;

/// <summary>List, pause, resume and trigger the schedules of registered workflows.</summary>
internal static class ScheduleEndpoints
{
    public static void MapReads(RouteGroupBuilder api) =>
        api.MapGet("/schedules", (ScheduleBook book, TimeProvider time) => Results.Ok(book.All().Select(e => View(e, time.GetUtcNow()))))
            .WithName("ListSchedules").WithSummary("Schedules with their next and last ticks.");

    public static void MapMutations(RouteGroupBuilder api)
    {
        api.MapPost("/schedules/{name}/pause", (string name, ScheduleBook book, TimeProvider time) => SetPaused(name, true, book, time))
            .WithName("PauseSchedule").WithSummary("Stops starting runs; ticks while paused are skipped, not caught up.");
        api.MapPost("/schedules/{name}/resume", (string name, ScheduleBook book, TimeProvider time) => SetPaused(name, false, book, time))
            .WithName("ResumeSchedule").WithSummary("Starts runs again from the next tick.");
        api.MapPost("/schedules/{name}/trigger", TriggerAsync)
            .WithName("TriggerSchedule").WithSummary("Starts a run of the scheduled workflow now, outside its ticks.");
    }

    public static ScheduleView View(ScheduleEntry e, DateTimeOffset now) => new(e.Name, e.Schedule.Cron, e.Schedule.TimeZone ?? "UTC",
        RunViews.Name(e.Schedule.CatchUp), e.Paused, e.Paused ? null : e.NextAfter(now), e.LastTick, e.LastRunId);

    private static IResult SetPaused(string name, bool paused, ScheduleBook book, TimeProvider time)
    {
        var now = time.GetUtcNow();

        // Resuming marks the ticks while paused as dealt with, so catchUp does not replay them.
        return book.Update(name, e => (e.Paused, e.Evaluated) = (paused, paused ? e.Evaluated : now)) && book.Find(name) is { } entry
            ? Results.Ok(View(entry, now))
            : Problems.NotFound($"no schedule for workflow '{name}'");
    }

    private static async Task<IResult> TriggerAsync(string name, ScheduleBook book, WorkflowRegistry registry, RunSubmitter submitter, HttpContext context, CancellationToken ct)
    {
        if (book.Find(name) is null || registry.Find(name) is not { } workflow)
        {
            return Problems.NotFound($"no schedule for workflow '{name}'");
        }

        var outcome = await submitter.SubmitAsync(new SubmitCommand(workflow.Definition), ct).ConfigureAwait(false);
        book.Update(name, e => e.LastRunId = outcome.RunId);
        return Results.Created(Locations.Of(context, "schedules", $"runs/{outcome.RunId}"), new SubmitResponse(outcome.RunId, RunState.Running.ToName(), false, null));
    }
}
