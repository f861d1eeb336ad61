using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Weft.Server.Tests;

/// <summary>AddWeft + MapWeftApi + MapWeftDashboard in a user's own ASP.NET app.</summary>
public sealed class HostIntegrationTests
{
    [Fact]
    public async Task AddWeft_OptionsFromWeftSection_ApiAndDashboardMounted()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Weft:Workers"] = "3", ["Weft:ReadOnly"] = "true" });
        builder.Services.AddWeft();
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapWeftApi("/weft/api");
        app.MapWeftDashboard("/weft", "/weft/api");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var options = app.Services.GetRequiredService<IOptions<WeftServerOptions>>().Value;
        var workers = await client.GetStringAsync("/weft/api/workers");
        var page = await client.GetStringAsync("/weft/");

        Assert.Equal(3, app.Services.GetRequiredService<WeftEngine>().Workers);
        Assert.True(options.ReadOnly);
        Assert.Contains("\"slots\":3", workers, StringComparison.Ordinal);
        Assert.Contains("content=\"/weft/api\"", page, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task AddWeft_BadOptions_HostFailsToStartWithEveryError()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWeft(o => (o.Workers, o.Token) = (0, "short"));
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");

        var error = await Assert.ThrowsAsync<WeftConfigurationException>(() => app.StartAsync());

        Assert.Equal(2, error.Errors.Count);
    }
}
