using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Weft.Monitoring;
using Weft.Server.Monitoring;
using Weft.Server.Runs;
using Weft.Storage;

namespace Weft.Server;

/// <summary>Generic Host integration: <c>services.AddWeft(o => ...)</c>.</summary>
public static class WeftServiceCollectionExtensions
{
    /// <summary>Registers the engine as a hosted service with options bound from the <c>Weft:</c>
    /// section (the server's own, and the engine's under the names of weft.yaml: <c>Weft:Pool:MaxWorkers</c>,
    /// <c>Weft:QueueLimit</c>, <c>Weft:DefaultTaskTimeout</c>…), then <paramref name="configure"/>. The engine uses an <see cref="IWeftStore"/> and a
    /// <see cref="TimeProvider"/> registered in the container when there are (memory and the system
    /// clock otherwise). Mount the API and dashboard with <c>MapWeftApi</c> and <c>MapWeftDashboard</c>.</summary>
    public static IServiceCollection AddWeft(this IServiceCollection services, Action<WeftServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WeftServerOptions>().BindConfiguration(WeftServerOptions.Section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WeftServerOptions>>().Value;
            if (o.Validate() is { Count: > 0 } errors)
            {
                throw new WeftConfigurationException(errors);
            }

            return WeftEngine.Create(e =>
            {
                e.Workers = o.Workers;
                e.Store = sp.GetService<IWeftStore>();
                e.TimeProvider = sp.GetRequiredService<TimeProvider>();
                e.DedupWindow = o.DedupWindow;
                e.Schedules.Enabled = o.EnableSchedules;
                e.Schedules.Grace = o.ScheduleGrace;

                // The rest of the engine's options (Weft:Pool:MaxWorkers, Weft:QueueLimit, …) under the
                // names weft.yaml uses; a value that does not fit stops the start with its key.
                if (sp.GetService<IConfiguration>()?.GetSection(WeftServerOptions.Section) is { } section
                    && Configuration.WeftConfiguration.BindSection(section, e) is { Count: > 0 } problems)
                {
                    throw new WeftConfigurationException(problems);
                }

                o.ConfigureEngine?.Invoke(e);
            });
        });
        services.AddSingleton(sp => sp.GetRequiredService<WeftEngine>().Workflows);
        services.AddSingleton(sp => sp.GetRequiredService<WeftEngine>().Schedules);
        services.AddSingleton(sp => new WeftMetrics(sp.GetRequiredService<WeftEngine>()));
        services.AddSingleton<MetricsExporter>();
        services.AddSingleton<RunSecrets>();
        services.AddSingleton<RunTracer>();
        services.AddSingleton<RunSubmitter>();
        services.AddSingleton<Api.RunViews>();
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, Security.HostCheckStartupFilter>();
        services.AddHostedService<WeftHostedService>();
        services.AddHostedService<Schedules.ScheduleTracing>();
        services.AddProblemDetails();
        services.AddOpenApi(WeftApiEndpoints.OpenApiDocument);
        return services;
    }
}
