using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weft.Server.Monitoring;

namespace Weft.Server.Api;

/// <summary>Cancel, retry, pause and resume a run.</summary>
internal static class ControlEndpoints
{
    public static void MapMutations(RouteGroupBuilder api)
    {
        api.MapPost("/runs/{runId}/cancel", CancelAsync).WithName("CancelRun").WithSummary("Cancels a run: running tasks are stopped, waiting ones cancelled.");
        api.MapPost("/runs/{runId}/pause", PauseAsync).WithName("PauseRun").WithSummary("Pauses a running run: running tasks finish, nothing new starts.");
        api.MapPost("/runs/{runId}/resume", ResumeAsync).WithName("ResumeRun").WithSummary("Resumes a paused run (or recovers an unfinished one from the store).");
        api.MapPost("/runs/{runId}/retry", RetryAsync).WithName("RetryRun").WithSummary("Starts a new run that reuses the tasks that succeeded; with {\"tasks\": [...]}, only those failed tasks and what depends on them run again.");
    }

    private static async Task<IResult> CancelAsync(string runId, WeftEngine engine, RunViews views, CancellationToken ct)
    {
        if (await views.SnapshotAsync(runId, ct).ConfigureAwait(false) is not { } run)
        {
            return Problems.NotFound($"no run with id '{runId}'");
        }

        return await engine.CancelAsync(runId).ConfigureAwait(false)
            ? Results.Ok(new ControlResponse(runId, "cancel", RunState.Cancelled.ToName()))
            : Problems.Conflict($"run '{runId}' is {run.State.ToName()}; only a run that has not finished can be cancelled");
    }

    private static async Task<IResult> PauseAsync(string runId, WeftEngine engine, RunViews views, CancellationToken ct)
    {
        if (await views.SnapshotAsync(runId, ct).ConfigureAwait(false) is not { } run)
        {
            return Problems.NotFound($"no run with id '{runId}'");
        }

        return await engine.PauseAsync(runId).ConfigureAwait(false)
            ? Results.Ok(new ControlResponse(runId, "pause", RunState.Paused.ToName()))
            : Problems.Conflict($"run '{runId}' is {run.State.ToName()}; only a running run can be paused");
    }

    private static async Task<IResult> ResumeAsync(string runId, WeftEngine engine, RunViews views, RunTracer tracer, CancellationToken ct)
    {
        if (await views.SnapshotAsync(runId, ct).ConfigureAwait(false) is not { } run)
        {
            return Problems.NotFound($"no run with id '{runId}'");
        }

        var known = engine.GetRun(runId) is not null;
        if (run.State.IsFinal() || (known && run.State != RunState.Paused))
        {
            return Problems.Conflict($"run '{runId}' is {run.State.ToName()}; only a paused (or interrupted) run can be resumed");
        }

        await engine.ResumeAsync(runId, ct).ConfigureAwait(false);
        if (!known)
        {
            tracer.Follow(runId);
        }

        return Results.Ok(new ControlResponse(runId, "resume", (engine.GetRun(runId)?.State ?? RunState.Running).ToName()));
    }

    private static async Task<IResult> RetryAsync(string runId, WeftEngine engine, RunTracer tracer, HttpContext context, CancellationToken ct)
    {
        var (tasks, bad) = await RetryRequest.ReadTasksAsync(context, ct).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        try
        {
            var handle = tasks is null
                ? await engine.RetryAsync(runId, ct).ConfigureAwait(false)
                : await engine.RetryTasksAsync(runId, tasks, ct).ConfigureAwait(false);
            tracer.Follow(handle.RunId);
            return Results.Created(Locations.Of(context, "runs", $"runs/{handle.RunId}"),
                new SubmitResponse(handle.RunId, RunState.Running.ToName(), false, null));
        }
        catch (KeyNotFoundException)
        {
            return Problems.NotFound($"no run with id '{runId}'");
        }
        catch (WeftTaskRetryException ex) when (ex.TaskId is not null && ex.TaskState is null)
        {
            return Problems.Field("tasks", ex.Message);
        }
        catch (WeftTaskRetryException ex)
        {
            return Problems.Conflict(ex.Message);
        }
        catch (WeftConfigurationException ex)
        {
            return Problems.Conflict($"run '{runId}' cannot be retried here: {string.Join("; ", ex.Errors)}");
        }
    }
}
