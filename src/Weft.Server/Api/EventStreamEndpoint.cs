using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Weft.Server.Api;

/// <summary><c>GET /api/runs/{id}/events</c>: a run's events as Server-Sent Events, replaying what
/// already happened first and ending after <c>run_finished</c>. Each message is
/// <c>event: KIND</c> + <c>data: EventView JSON</c>.</summary>
internal static class EventStreamEndpoint
{
    public static void MapReads(RouteGroupBuilder api) =>
        api.MapGet("/runs/{runId}/events", StreamAsync).WithName("RunEvents").WithSummary("Server-Sent Events of one run.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

    private static async Task StreamAsync(string runId, HttpContext context, WeftEngine engine, RunViews views, IOptions<JsonOptions> json)
    {
        var ct = context.RequestAborted;
        IAsyncEnumerable<RunEvent> events;
        if (engine.GetRun(runId) is not null)
        {
            events = engine.WatchAsync(runId, ct);
        }
        else if (await engine.Store.GetRunAsync(runId, ct).ConfigureAwait(false) is { } stored && stored.State.IsFinal())
        {
            // A run from before this process: all that is left of its story is how it ended.
            events = One(new RunEvent(RunEventKind.RunFinished, runId, stored.FinishedAt ?? stored.SubmittedAt) { RunState = stored.State });
        }
        else
        {
            await Problems.NotFound($"no run with id '{runId}' in this server").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        try
        {
            await foreach (var e in events.ConfigureAwait(false))
            {
                var view = await views.EventAsync(e).ConfigureAwait(false);
                var data = JsonSerializer.Serialize(view, json.Value.SerializerOptions);
                await context.Response.WriteAsync($"event: {view.Kind}\ndata: {data}\n\n", ct).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async IAsyncEnumerable<RunEvent> One(RunEvent e)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return e;
    }
}
