using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weft.Server.Security;

namespace Weft.Server;

/// <summary>The app <c>weft server</c> runs (and tests start on port 0): the engine, the API under
/// <c>/api</c>, the dashboard under <c>/dashboard</c>, <c>/metrics</c> and <c>/health</c>.</summary>
internal static class WeftServerApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the app. Throws <see cref="WeftConfigurationException"/> with every problem
    /// (bad options, an open API on a non-loopback address) before anything listens.</summary>
    public static WebApplication Build(WeftServerOptions options, IReadOnlyList<string> urls, Action<WebApplicationBuilder>? customize = null)
    {
        var urlErrors = ListenUrls.Validate(urls).ToList();
        var errors = options.Validate().Concat(urlErrors.Count > 0 ? urlErrors : ListenCheck.Check(urls, options)).ToList();
        if (errors.Count > 0)
        {
            throw new WeftConfigurationException(errors);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddWeft(o =>
        {
            o.Workers = options.Workers;
            o.Token = options.Token;
            o.Insecure = options.Insecure;
            o.ReadOnly = options.ReadOnly;
            o.DedupWindow = options.DedupWindow;
            o.ScheduleGrace = options.ScheduleGrace;
            o.EnableSchedules = options.EnableSchedules;
            o.AllowedHosts = [.. options.AllowedHosts];
            o.ConfigureEngine = options.ConfigureEngine;
        });
        builder.Services.AddHealthChecks().AddWeft();

        // App-wide choices of this app, not of AddWeft: errors outside the API as problem details.
        builder.Services.AddProblemDetails();
        customize?.Invoke(builder);
        var app = builder.Build();
        foreach (var url in urls)
        {
            app.Urls.Add(url);
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapWeftApi();
        app.MapWeftDashboard();
        app.MapWeftMetrics();

        // For load balancers and orchestrators: no token, and only the status word in the body
        // (200 Healthy or Degraded, 503 Unhealthy); the reasons are in /api/status, behind the token.
        app.MapHealthChecks("/health");
        app.MapGet("/", () => Results.Redirect("/dashboard/")).ExcludeFromDescription();
        return app;
    }
}
