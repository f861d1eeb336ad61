using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Weft.Server.Api;
using Weft.Server.Monitoring;
using Weft.Server.Security;

namespace Weft.Server;

/// <summary>Mounts the REST API and <c>/metrics</c> in an ASP.NET Core app that called <c>AddWeft</c>.</summary>
public static class WeftApiEndpoints
{
    /// <summary>The OpenAPI document's name; served at <c>{prefix}/openapi/weft.json</c>.</summary>
    public const string OpenApiDocument = "weft";

    /// <summary>Maps the API under <paramref name="prefix"/> (default <c>/api</c>). Reads are open;
    /// mutations go through the token, read-only and CSRF checks.</summary>
    public static RouteGroupBuilder MapWeftApi(this IEndpointRouteBuilder endpoints, string prefix = "/api")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(prefix).WithTags("Weft").WithGroupName(OpenApiDocument);
        RunEndpoints.MapReads(api);
        EventStreamEndpoint.MapReads(api);
        StatusEndpoints.MapReads(api);
        WorkflowEndpoints.MapReads(api);
        ScheduleEndpoints.MapReads(api);
        BreakerEndpoints.MapReads(api);

        var mutations = api.MapGroup("").AddEndpointFilter<MutationGuard>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        RunEndpoints.MapMutations(mutations);
        ControlEndpoints.MapMutations(mutations);
        SignalEndpoints.MapMutations(mutations);
        WorkflowEndpoints.MapMutations(mutations);
        ScheduleEndpoints.MapMutations(mutations);
        BreakerEndpoints.MapMutations(mutations);

        endpoints.MapOpenApi(prefix + "/openapi/{documentName}.json");
        return api;
    }

    /// <summary>Maps Prometheus metrics (series <c>weft_…</c>) at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapWeftMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(pattern, (HttpContext context) => context.RequestServices.GetRequiredService<MetricsExporter>().WriteAsync(context))
            .ExcludeFromDescription();
    }
}
