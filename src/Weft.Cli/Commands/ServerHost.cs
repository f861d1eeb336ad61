using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Weft.Server;

namespace Weft.Cli.Commands;

/// <summary>What every <c>weft server</c> does to come up, embedded or as a cluster's leader: build the
/// app, register the <c>--workflows</c> folder, listen, print where.</summary>
internal static class ServerHost
{
    /// <summary>The started app, or null with the exit code (every problem written to stderr; the app,
    /// if built, disposed).</summary>
    public static async Task<(WebApplication? App, int Exit)> StartAsync(
        WeftServerOptions options, string[] urls, Action<WebApplicationBuilder> customize, string? workflowDir, CliIo io, CancellationToken ct)
    {
        WebApplication app;
        try
        {
            app = WeftServerApp.Build(options, urls, customize);
        }
        catch (WeftConfigurationException ex)
        {
            foreach (var error in ex.Errors)
            {
                io.Error.WriteLine($"error: {error}");
            }

            return (null, ExitCodes.InvalidInput);
        }

        var exit = await StartBuiltAsync(app, urls, workflowDir, io, ct).ConfigureAwait(false);
        if (exit is { } code)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            return (null, code);
        }

        return (app, ExitCodes.Succeeded);
    }

    private static async Task<int?> StartBuiltAsync(WebApplication app, string[] urls, string? workflowDir, CliIo io, CancellationToken ct)
    {
        if (workflowDir is not null && !await ServerWorkflows.RegisterAllAsync(workflowDir, app.Services.GetRequiredService<WeftEngine>().Workflows, io, ct).ConfigureAwait(false))
        {
            return ExitCodes.InvalidInput;
        }

        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            io.Error.WriteLine($"error: cannot listen on {string.Join(", ", urls)}: {ex.Message}");
            return ExitCodes.Failed;
        }

        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            io.Out.WriteLine($"Weft server listening on {address} (dashboard {address}/dashboard/, API {address}/api, metrics {address}/metrics)");
        }

        return null;
    }
}
