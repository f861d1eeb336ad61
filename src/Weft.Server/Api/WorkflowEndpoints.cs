using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weft.Definitions;
using Weft.Registry;

namespace Weft.Server.Api;

/// <summary>Register and list workflow definitions and their versions (the engine's
/// <see cref="WorkflowRegistry"/>: kept in the store, shared by every server on it). The text of a
/// version is shown with the defaults of secret parameters masked: reads need no token.</summary>
internal static class WorkflowEndpoints
{
    public static void MapReads(RouteGroupBuilder api)
    {
        api.MapGet("/workflows", async (WeftEngine engine, CancellationToken ct) =>
                Results.Ok((await engine.Workflows.LatestAsync(ct).ConfigureAwait(false)).Select(View)))
            .WithName("ListWorkflows").WithSummary("Registered workflows, latest version of each.");
        api.MapGet("/workflows/{name}", async (string name, WeftEngine engine, CancellationToken ct) =>
                await engine.Workflows.VersionsAsync(name, ct).ConfigureAwait(false) is { Count: > 0 } versions
                    ? Results.Ok(new WorkflowVersionsView(name, [.. versions.Select(View)]))
                    : Problems.NotFound($"no registered workflow '{name}'"))
            .WithName("GetWorkflow").WithSummary("Every version of one workflow.");
        api.MapGet("/workflows/{name}/versions/{version:int}", async (string name, int version, WeftEngine engine, CancellationToken ct) =>
                await engine.Workflows.FindAsync(name, version, ct).ConfigureAwait(false) is { } v
                    ? Results.Ok(SourceView(v))
                    : Problems.NotFound($"no version {version} of workflow '{name}'"))
            .WithName("GetWorkflowVersion").WithSummary("One version with the text it was registered from (secret parameters' defaults masked).");
    }

    public static void MapMutations(RouteGroupBuilder api) =>
        api.MapPost("/workflows", RegisterAsync).WithName("RegisterWorkflow")
            .WithSummary("Registers a definition (a new version when its text changed); its schedule, if any, starts.")
            .Accepts<RegisterWorkflowRequest>("application/json");

    public static WorkflowView View(RegisteredWorkflow v) => new(v.Name, v.Version, v.Hash, v.RegisteredAt, v.Definition.Description,
        v.Definition.Tasks.Count, [.. v.Definition.Params.Select(p => p.Name)], v.Definition.Schedule?.Cron);

    private static WorkflowSourceView SourceView(RegisteredWorkflow v)
    {
        var levels = RunViews.Levels(v.Definition);
        return new(View(v), v.MaskedSource)
        {
            Tasks = [.. v.Definition.Tasks.Select(t => new WorkflowTaskView(t.Id, t.Kind, levels.GetValueOrDefault(t.Id), t.DependsOn))],
            Parameters = [.. v.Definition.Params.Select(p => new ParamView(p.Name, p.Secret ? null : p.Default, p.Default is not null, p.Description, p.Required, p.Secret))],
        };
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, WeftEngine engine, CancellationToken ct)
    {
        if (engine.IsIntakePaused)
        {
            return Problems.Unavailable(context, RunEndpoints.MemoryCritical);
        }

        RegisterWorkflowRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<RegisterWorkflowRequest>(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Problems.Field("body", "send a JSON body {\"definition\": \"...YAML or JSON text...\"} with Content-Type: application/json");
        }

        if (string.IsNullOrWhiteSpace(request?.Definition))
        {
            return Problems.Field("definition", "'definition' (the workflow's YAML or JSON text) is required");
        }

        (RegisteredWorkflow Workflow, bool Created) registered;
        try
        {
            registered = await engine.Workflows.RegisterAsync(request.Definition, request.FileName ?? "inline.yaml", ct).ConfigureAwait(false);
        }
        catch (WorkflowValidationException ex)
        {
            return Problems.Field("definition", ex.Errors.Select(e => e.ToString()));
        }

        var (version, created) = registered;
        return created
            ? Results.Created(Locations.Of(context, "workflows", $"workflows/{version.Name}/versions/{version.Version}"), View(version))
            : Results.Ok(View(version));
    }
}
