using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Weft.Server;

/// <summary>The engine's health as an <see cref="IHealthCheck"/>: healthy, degraded (a failing store
/// being retried, an open breaker, an active alert) or unhealthy (the store failed for good or does not
/// answer now, memory critical), with the reasons as the description. Besides the engine's own view it
/// asks the store (one cheap read, bounded by <see cref="StoreTimeout"/>), since an engine with nothing
/// to write would not notice a database that went away; and it says whether this engine schedules a
/// cluster (<c>leading</c>). Register it with <c>services.AddHealthChecks().AddWeft()</c>;
/// <c>weft server</c> serves it at <c>/health</c>.</summary>
internal sealed class WeftHealthCheck(WeftEngine engine) : IHealthCheck
{
    /// <summary>How long the store gets to answer before it counts as unreachable.</summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    // A run id no run can have: the probe is one indexed lookup that finds nothing.
    private const string ProbeRunId = "weft-health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = engine.GetStatus();
        var reasons = status.Reasons.ToList();
        var storeError = await ProbeStoreAsync(cancellationToken).ConfigureAwait(false);
        if (storeError is not null)
        {
            reasons.Add($"store unreachable: {storeError}");
        }

        var description = reasons.Count == 0 ? null : string.Join("; ", reasons);
        var data = new Dictionary<string, object>
        {
            ["activeRuns"] = status.ActiveRuns,
            ["slotsBusy"] = status.SlotsBusy,
            ["store"] = storeError is null ? "reachable" : "unreachable",
            ["clusterScheduler"] = engine.IsClusterScheduler,
            ["leading"] = engine.IsClusterScheduler,
        };
        return (storeError is null ? status.Health : HealthState.Unhealthy) switch
        {
            HealthState.Healthy => HealthCheckResult.Healthy(description, data),
            HealthState.Degraded => HealthCheckResult.Degraded(description, data: data),
            _ => HealthCheckResult.Unhealthy(description, data: data),
        };
    }

    private async Task<string?> ProbeStoreAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StoreTimeout);
        try
        {
            await engine.Store.GetRunAsync(ProbeRunId, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {StoreTimeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex.Message;
        }
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
