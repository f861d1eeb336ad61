using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Weft.Server;

/// <summary>The engine's health as an <see cref="IHealthCheck"/>: healthy, degraded (a failing store
/// being retried, an open breaker, an active alert) or unhealthy (the store failed for good, memory
/// critical), with the engine's reasons as the description. Register it with
/// <c>services.AddHealthChecks().AddWeft()</c>; <c>weft server</c> serves it at <c>/health</c>.</summary>
internal sealed class WeftHealthCheck(WeftEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = engine.GetStatus();
        var description = status.Reasons.Count == 0 ? null : string.Join("; ", status.Reasons);
        var data = new Dictionary<string, object>
        {
            ["activeRuns"] = status.ActiveRuns,
            ["slotsBusy"] = status.SlotsBusy,
            ["clusterScheduler"] = engine.IsClusterScheduler,
        };
        return Task.FromResult(status.Health switch
        {
            HealthState.Healthy => HealthCheckResult.Healthy(description, data),
            HealthState.Degraded => HealthCheckResult.Degraded(description, data: data),
            _ => HealthCheckResult.Unhealthy(description, data: data),
        });
    }
}

/// <summary>Adds Weft's health check to ASP.NET Core health checks.</summary>
public static class WeftHealthCheckExtensions
{
    /// <summary>Adds the engine's health (<c>weft</c>): healthy, degraded or unhealthy, with the reasons.
    /// Needs <c>AddWeft</c> on the same services.</summary>
    public static IHealthChecksBuilder AddWeft(this IHealthChecksBuilder builder, string name = "weft")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<WeftHealthCheck>(name);
    }
}
