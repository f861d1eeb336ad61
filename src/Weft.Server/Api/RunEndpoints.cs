using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weft.Definitions;
using Weft.Registry;
using Weft.Server.Runs;
using Weft.Storage;

namespace Weft.Server.Api;

/// <summary>Submit, list, get, and read outputs of runs.</summary>
internal static class RunEndpoints
{
    public const int MaxLimit = 500;

    public const string MemoryCritical = "the server's memory is critical, so it takes no new runs or workflows until it falls; try again later";

    public static void MapReads(RouteGroupBuilder api)
    {
        api.MapGet("/runs", ListAsync).WithName("ListRuns").WithSummary("Runs, newest first, filtered (workflow, state, since, until, q, idPrefix) and paged.");
        api.MapGet("/run-counts", CountsAsync).WithName("CountRuns").WithSummary("How many runs are in each state (every state named, zero included).");
        api.MapGet("/runs/{runId}", GetAsync).WithName("GetRun").WithSummary("A run with its tasks and attempts.");
        api.MapGet("/runs/{runId}/tasks/{taskId}/output", OutputAsync).WithName("GetOutput").WithSummary("The output of a task attempt (the latest by default).");
    }

    public static void MapMutations(RouteGroupBuilder api) =>
        api.MapPost("/runs", SubmitAsync).WithName("SubmitRun").WithSummary("Submits a run of an inline or registered definition.")
            .Accepts<SubmitRequest>("application/json")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> ListAsync(
        WeftEngine engine, string? workflow, string? state, string? since, string? until, string? q, string? idPrefix, string? limit, string? offset, CancellationToken ct)
    {
        if (!QueryNumbers.TryParse("limit", limit, out var limitValue, out var bad) || !QueryNumbers.TryParse("offset", offset, out var offsetValue, out bad))
        {
            return bad!;
        }

        RunState? runState = null;
        if (state is not null)
        {
            if (!StateNames.TryParseRun(state, out var parsed))
            {
                return Problems.Field("state", $"unknown run state '{state}'; expected one of: pending, running, paused, succeeded, failed, cancelled, timed_out");
            }

            runState = parsed;
        }

        if (!TryTime(since, out var from))
        {
            return Problems.Field("since", $"'{since}' is not an ISO-8601 time such as 2026-01-31T02:00:00Z");
        }

        if (!TryTime(until, out var to))
        {
            return Problems.Field("until", $"'{until}' is not an ISO-8601 time such as 2026-01-31T02:00:00Z");
        }

        var take = limitValue ?? 50;
        if (take is < 1 or > MaxLimit)
        {
            return Problems.Field("limit", $"limit must be between 1 and {MaxLimit} (was {take})");
        }

        var skip = offsetValue ?? 0;
        if (skip < 0)
        {
            return Problems.Field("offset", $"offset must not be negative (was {skip})");
        }

        // One more than asked tells whether there is a next page without counting every run.
        var page = await engine.Store.ListRunsAsync(new RunQuery
        {
            Workflow = string.IsNullOrEmpty(workflow) ? null : workflow,
            State = runState,
            Since = from,
            Until = to,
            Text = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            IdPrefix = string.IsNullOrEmpty(idPrefix) ? null : idPrefix,
            Limit = take + 1,
            Offset = skip,
        }, ct).ConfigureAwait(false);
        return Results.Ok(new RunListView([.. page.Take(take).Select(s => RunViews.Summary(Live(engine, s)))], skip, take, page.Count > take));
    }

    // A store that is not durable learns a run's state only when it ends (the engine journals nothing
    // to it), so a running run would be listed and counted as pending: the engine's live state wins.
    private static RunSummary Live(WeftEngine engine, RunSummary stored) =>
        !stored.State.IsFinal() && engine.GetRun(stored.RunId) is { } live && live.State != stored.State
            ? stored with { State = live.State, StartedAt = live.StartedAt ?? stored.StartedAt, FinishedAt = live.FinishedAt }
            : stored;

    private static async Task<IResult> CountsAsync(WeftEngine engine, CancellationToken ct)
    {
        var counts = new Dictionary<RunState, int>(await engine.Store.CountRunsByStateAsync(ct).ConfigureAwait(false));
        if (!engine.Store.IsDurable)
        {
            foreach (var runId in await engine.Store.ListUnfinishedRunsAsync(ct).ConfigureAwait(false))
            {
                if (engine.GetRun(runId) is { } live && (await engine.Store.GetRunAsync(runId, ct).ConfigureAwait(false))?.State is { } stored && live.State != stored)
                {
                    counts[stored] = counts.GetValueOrDefault(stored) - 1;
                    counts[live.State] = counts.GetValueOrDefault(live.State) + 1;
                }
            }
        }

        return Results.Ok(Enum.GetValues<RunState>().ToDictionary(s => s.ToName(), s => Math.Max(0, counts.GetValueOrDefault(s))));
    }

    private static async Task<IResult> GetAsync(string runId, RunViews views, CancellationToken ct) =>
        await views.GetAsync(runId, ct).ConfigureAwait(false) is { } run
            ? Results.Ok(run)
            : Problems.NotFound($"no run with id '{runId}'");

    private static async Task<IResult> OutputAsync(string runId, string taskId, string? attempt, WeftEngine engine, RunViews views, CancellationToken ct)
    {
        if (!QueryNumbers.TryParse("attempt", attempt, out var number, out var bad))
        {
            return bad!;
        }

        if (await views.SnapshotAsync(runId, ct).ConfigureAwait(false) is not { } run)
        {
            return Problems.NotFound($"no run with id '{runId}'");
        }

        if (run.Tasks.FirstOrDefault(t => t.TaskId == taskId) is not { } task)
        {
            return Problems.NotFound($"run '{runId}' has no task '{taskId}'");
        }

        if (number is < 1)
        {
            return Problems.Field("attempt", $"attempt must be 1 or more (was {number})");
        }

        // The snapshot holds the latest attempt's output; older attempts (and durable stores) come from the store.
        var output = (number is null || number == task.Attempts) && task.Output is not null
            ? task.Output
            : await engine.Store.GetOutputAsync(runId, taskId, number, ct).ConfigureAwait(false);
        return Results.Ok(new OutputView(runId, taskId, number ?? task.Attempts, await views.MaskAsync(runId, output, ct).ConfigureAwait(false)));
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, WeftEngine engine, RunSubmitter submitter, WorkflowRegistry registry, TimeProvider time, CancellationToken ct)
    {
        // Refused before the body is read: under memory pressure, a large definition is the last thing to take in.
        if (engine.IsIntakePaused)
        {
            return Problems.Unavailable(context, MemoryCritical);
        }

        SubmitRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<SubmitRequest>(ct).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            var (field, message) = BodyErrors.Describe(ex);
            return Problems.Field(field, message);
        }
        catch (InvalidOperationException)
        {
            return Problems.Field("body", "send a JSON body with Content-Type: application/json");
        }

        if (request is null)
        {
            return Problems.Field("body", "send a JSON body with 'definition' or 'workflow'");
        }

        WorkflowDefinition definition;
        if (!string.IsNullOrWhiteSpace(request.Definition) == !string.IsNullOrWhiteSpace(request.Workflow))
        {
            return Problems.Field("definition", "give exactly one of 'definition' (the workflow's YAML or JSON text) and 'workflow' (a registered workflow's name)");
        }

        if (request.Definition is { } text && !string.IsNullOrWhiteSpace(text))
        {
            try
            {
                // A kind the engine's handlers add (a plug-in's) is as good as a built-in one.
                definition = WorkflowLoader.Parse(text, request.FileName ?? "inline.yaml", new WorkflowLoadOptions { ExtraKinds = engine.Kinds });
            }
            catch (WorkflowValidationException ex)
            {
                return Problems.Field("definition", ex.Errors.Select(e => e.ToString()));
            }
        }
        else if (await registry.FindAsync(request.Workflow!, request.Version, ct).ConfigureAwait(false) is { } registered)
        {
            definition = registered.Definition;
        }
        else
        {
            return Problems.Field("workflow", $"no registered workflow '{request.Workflow}'{(request.Version is { } v ? $" at version {v}" : "")}");
        }

        TaskPriority? priority = null;
        if (request.Priority is { } name)
        {
            if (!Enum.TryParse<TaskPriority>(name, ignoreCase: true, out var p) || !Enum.IsDefined(p) || int.TryParse(name, out _))
            {
                return Problems.Field("priority", $"unknown priority '{name}'; expected one of: critical, high, normal, low");
            }

            priority = p;
        }

        if (SubmitOptions.CheckNotBefore(request.NotBefore, time.GetUtcNow()) is { } tooFar)
        {
            return Problems.Field("notBefore", tooFar);
        }

        if (request.DedupKey is { Length: 0 or > 200 })
        {
            return Problems.Field("dedupKey", "dedupKey must be 1 to 200 characters");
        }

        SubmitOutcome outcome;
        try
        {
            outcome = await submitter.SubmitAsync(new SubmitCommand(definition)
            {
                Params = request.Params,
                Priority = priority,
                DedupKey = request.DedupKey,
                NotBefore = request.NotBefore,
                WaitIfMemoryCritical = false,
                TriggeredBy = TriggeredBy(request.TriggeredBy, context),
            }, ct).ConfigureAwait(false);
        }
        catch (WeftMemoryCriticalException)
        {
            return Problems.Unavailable(context, MemoryCritical);
        }
        catch (WeftQueueFullException ex)
        {
            return Problems.Unavailable(context, $"the queue is full: {ex.Outstanding} tasks are waiting or running, the limit is {ex.Limit} and this run adds {ex.RunTasks}; try again later");
        }
        catch (WorkflowValidationException ex)
        {
            return Problems.Field("definition", ex.Errors.Select(e => e.ToString()));
        }
        catch (WeftConfigurationException ex)
        {
            return Problems.Field(ex.Errors.Any(e => e.Contains("parameter", StringComparison.Ordinal)) ? "params" : "definition", ex.Errors);
        }

        var body = new SubmitResponse(outcome.RunId, outcome.NotBefore is null ? RunState.Running.ToName() : RunState.Pending.ToName(), outcome.Deduplicated, outcome.NotBefore);
        var location = $"{context.Request.PathBase}{context.Request.Path}/{outcome.RunId}";
        return outcome.Deduplicated ? Results.Ok(body)
            : outcome.NotBefore is not null ? Results.Accepted(location, body)
            : Results.Created(location, body);
    }

    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    // "api 10.0.0.7", or what the caller says it is ("cli ada@laptop", "dashboard") with its address.
    private static string TriggeredBy(string? given, HttpContext context)
    {
        var who = string.IsNullOrWhiteSpace(given) ? "api" : given.Trim();
        who = who.Length > 100 ? who[..100] : who;
        return context.Connection.RemoteIpAddress is { } ip ? $"{who} {ip}" : who;
    }
}
