using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Weft.Hosting;
using Weft.Monitoring;
using Weft.Server.Hosting;
using Weft.Server.Monitoring;
using Weft.Server.Runs;
using Weft.Storage;

namespace Weft.Server;

/// <summary>Generic Host integration: <c>services.AddWeft(weft =&gt; weft.UseSqlite(…).AddFunction&lt;T&gt;())</c>
/// or <c>services.AddWeft(o =&gt; …)</c>.</summary>
public static class WeftServiceCollectionExtensions
{
    /// <summary>Registers the engine as a hosted service with options bound from the <c>Weft:</c>
    /// section (the server's own, and the engine's under the names of weft.yaml: <c>Weft:Pool:MaxWorkers</c>,
    /// <c>Weft:QueueLimit</c>, <c>Weft:DefaultTaskTimeout</c>…), then <paramref name="configure"/>. The engine uses an <see cref="IWeftStore"/> and a
    /// <see cref="TimeProvider"/> registered in the container when there are (memory and the system
    /// clock otherwise). Mount the API and dashboard with <c>MapWeftApi</c> and <c>MapWeftDashboard</c>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027", Justification = "Shipped as is; the builder overload came later, and a lambda picks its overload by the members it uses.")]
    public static IServiceCollection AddWeft(this IServiceCollection services, Action<WeftServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Add(services, new WeftBuilder(services), configure, fixedWorkers: true);
    }

    /// <summary>Registers the engine as a hosted service, configured by <paramref name="build"/>: the
    /// store (<c>UseSqlite</c>, or <see cref="WeftBuilder.UseStore"/>; without one, an
    /// <see cref="IWeftStore"/> registered in the container, else memory), functions and handlers
    /// activated from the container, and engine options (<see cref="WeftBuilder.Configure"/>, applied
    /// after the <c>Weft:</c> configuration section). The host opens the store and starts the engine
    /// when it starts, and stops it gracefully when it stops; every problem in the options and the
    /// configuration stops the start together (<see cref="WeftConfigurationException"/>). Registers
    /// nothing app-wide beyond Weft's own services (no problem details or OpenAPI defaults).</summary>
    public static IServiceCollection AddWeft(this IServiceCollection services, Action<WeftBuilder> build)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(build);
        var builder = new WeftBuilder(services);
        build(builder);
        return Add(services, builder, configure: null, fixedWorkers: false);
    }

    /// <summary>Sets the server's own options (token, read-only, shutdown drain…) in code, after the
    /// <c>Weft:</c> configuration section.</summary>
    public static WeftBuilder ConfigureServer(this WeftBuilder builder, Action<WeftServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    private static IServiceCollection Add(IServiceCollection services, WeftBuilder builder, Action<WeftServerOptions>? configure, bool fixedWorkers)
    {
        var options = services.AddOptions<WeftServerOptions>().BindConfiguration(WeftServerOptions.Section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new WeftStoreLifetime(builder));
        services.AddSingleton(sp => new ClusterMembership(
            builder,
            provider => builder.CreateEngine(provider, provider.GetRequiredService<WeftStoreLifetime>().OpenedStore(provider), e =>
            {
                var problems = HostSettings(provider, e, fixedWorkers);
                e.Workers = 1; // the scheduling engine runs no task itself: the members' workers do
                e.Cluster.Schedule = true; // created only while this host leads (ClusterMembership)
                return problems;
            }),
            sp.GetRequiredService<IOptions<WeftServerOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ClusterMembership>>()));
        services.AddSingleton(sp =>
        {
            var opened = sp.GetRequiredService<WeftStoreLifetime>().OpenedStore(sp);
            if (opened is Cluster.IClusterStore)
            {
                return sp.GetRequiredService<ClusterMembership>().Engine ?? throw new InvalidOperationException(
                    "a host on a cluster store has an engine once it leads the cluster: resolve WeftEngine after the host has started");
            }

            return builder.CreateEngine(sp, opened ?? sp.GetService<IWeftStore>(), e => HostSettings(sp, e, fixedWorkers));
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

        // The API's OpenAPI document only: it lists Weft's endpoints, and theirs stay out of the app's own documents.
        services.AddOpenApi(WeftApiEndpoints.OpenApiDocument, o => o.ShouldInclude = d => d.GroupName == WeftApiEndpoints.OpenApiDocument);
        return services;
    }

    /// <summary>The server's options and the engine's part of the <c>Weft:</c> section, onto the engine's
    /// options; returns every problem found (the builder adds the engine's own and throws them together).</summary>
    private static List<string> HostSettings(IServiceProvider sp, WeftOptions e, bool fixedWorkers)
    {
        var o = sp.GetRequiredService<IOptions<WeftServerOptions>>().Value;
        var problems = o.Validate().ToList();

        // A bad server value is reported once, as the server's: it is not copied for the engine to report again.
        if ((fixedWorkers || o.WorkersSet) && o.Workers is >= 1 and <= 4096)
        {
            e.Workers = o.Workers;
        }

        e.TimeProvider = sp.GetRequiredService<TimeProvider>();
        e.LoggerFactory = sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>();
        e.DedupWindow = o.DedupWindow > TimeSpan.Zero ? o.DedupWindow : e.DedupWindow;
        e.Schedules.Enabled = o.EnableSchedules;
        e.Schedules.Grace = o.ScheduleGrace > TimeSpan.Zero ? o.ScheduleGrace : e.Schedules.Grace;

        // The rest of the engine's options (Weft:Pool:MaxWorkers, Weft:QueueLimit, …) under the names
        // weft.yaml uses; a value that does not fit is reported with its key.
        if (sp.GetService<IConfiguration>()?.GetSection(WeftServerOptions.Section) is { } section)
        {
            problems.AddRange(Configuration.WeftConfiguration.BindSection(section, e));
        }

        o.ConfigureEngine?.Invoke(e);
        return problems;
    }
}
