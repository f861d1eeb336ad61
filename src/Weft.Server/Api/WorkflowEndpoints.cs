using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weft.Definitions;
using Weft.Server.Workflows;

namespace Weft.Server.Api;

/// <summary>Register and list workflow definitions and their versions.</summary>
internal static class WorkflowEndpoints
{
    public static void MapReads(RouteGroupBuilder api)
    {
        api.MapGet("/workflows", (WorkflowRegistry registry) => Results.Ok(registry.Latest().Select(View)))
            .WithName("ListWorkflows").WithSummary("Registered workflows, latest version of each.");
        api.MapGet("/workflows/{name}", (string name, WorkflowRegistry registry) =>
            registry.Versions(name) is { Count: > 0 } versions
                ? Results.Ok(new WorkflowVersionsView(name, [.. versions.Select(View)]))
                : Problems.NotFound($"no registered workflow '{name}'"))
            .WithName("GetWorkflow").WithSummary("Every version of one workflow.");
        api.MapGet("/workflows/{name}/versions/{version:int}", (string name, int version, WorkflowRegistry registry) =>
            registry.Find(name, version) is { } v
                ? Results.Ok(new WorkflowSourceView(View(v), v.Source))
                : Problems.NotFound($"no version {version} of workflow '{name}'"))
            .WithName("GetWorkflowVersion").WithSummary("One version with the text it was registered from.");
    }

    public static void MapMutations(RouteGroupBuilder api) =>
        api.MapPost("/workflows", RegisterAsync).WithName("RegisterWorkflow")
            .WithSummary("Registers a definition (a new version when its text changed); its schedule, if any, starts.")
            .Accepts<RegisterWorkflowRequest>("application/json");

    public static WorkflowView View(WorkflowVersion v) => new(v.Name, v.Version, v.Hash, v.RegisteredAt, v.Definition.Description,
        v.Definition.Tasks.Count, [.. v.Definition.Params.Select(p => p.Name)], v.Definition.Schedule?.Cron);

    private static async Task<IResult> RegisterAsync(HttpContext context, WeftEngine engine, WorkflowRegistry registry, CancellationToken ct)
    {
        if (engine.IsMemoryCritical)
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

        WorkflowDefinition definition;
        try
        {
            definition = WorkflowLoader.Parse(request.Definition, request.FileName ?? "inline.yaml");
        }
        catch (WorkflowValidationException ex)
        {
            return Problems.Field("definition", ex.Errors.Select(e => e.ToString()));
        }

        var (version, created) = registry.Register(definition, request.Definition);
        return created
            ? Results.Created(Locations.Of(context, "workflows", $"workflows/{version.Name}/versions/{version.Version}"), View(version))
            : Results.Ok(View(version));
    }
}
