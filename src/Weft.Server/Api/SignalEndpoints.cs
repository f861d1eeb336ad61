using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Weft.Server.Api;

/// <summary><c>POST /api/runs/{id}/tasks/{task}/signal</c>: approve a waiting task (its output is the
/// body's <c>data</c>) or reject it (<c>"reject": true</c> fails it). The signal is recorded with the
/// caller's address as its origin; a task that is not waiting is a 409 naming its state.</summary>
internal static class SignalEndpoints
{
    public static void MapMutations(RouteGroupBuilder api) =>
        api.MapPost("/runs/{runId}/tasks/{taskId}/signal", SignalAsync).WithName("SignalTask")
            .WithSummary("Sends a signal to a waiting task: approve (data becomes its output) or reject (it fails).");

    private static async Task<IResult> SignalAsync(string runId, string taskId, WeftEngine engine, HttpContext context, CancellationToken ct)
    {
        SignalRequest? request = null;
        if (context.Request.ContentLength is not 0 && context.Request.HasJsonContentType())
        {
            try
            {
                request = await context.Request.ReadFromJsonAsync<SignalRequest>(ct).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                var (field, message) = BodyErrors.Describe(ex);
                return Problems.Field(field, message);
            }
        }

        var origin = (string.IsNullOrWhiteSpace(request?.Origin) ? "api" : request.Origin.Trim()) + Address(context);
        var signal = new TaskSignal(runId, taskId)
        {
            Data = request?.Data is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } data ? data.GetRawText() : null,
            Reject = request?.Reject ?? false,
            Origin = origin.Length > 200 ? origin[..200] : origin,
        };
        try
        {
            var sent = await engine.SignalAsync(signal, ct).ConfigureAwait(false);
            var state = engine.GetRun(runId)?.Tasks.FirstOrDefault(t => t.TaskId == taskId)?.State ?? TaskState.Waiting;
            return Results.Ok(new SignalResponse(runId, taskId, sent.Id, sent.Reject ? "reject" : "approve", state.ToName(), sent.Origin));
        }
        catch (KeyNotFoundException ex)
        {
            return Problems.NotFound(ex.Message);
        }
        catch (WeftTaskNotWaitingException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    private static string Address(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? " " + ip : string.Empty;
}

/// <summary>The body of a signal: optional JSON data, reject, and a label for who sends it.</summary>
internal sealed record SignalRequest(JsonElement? Data = null, bool? Reject = null, string? Origin = null);

/// <summary>What a signal did: the task's state afterwards (<c>waiting</c> until the run's scheduler,
/// when another process holds the run, takes it).</summary>
internal sealed record SignalResponse(string RunId, string TaskId, long SignalId, string Action, string State, string Origin);
