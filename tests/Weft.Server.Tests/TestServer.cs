using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Weft.Server.Tests;

/// <summary>A real Weft server on 127.0.0.1 with a port the OS picks, stopped when the test ends.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TestServer(WebApplication app, string address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("X-Weft-Request", "1");
    }

    public WebApplication App { get; }

    public string Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public WeftEngine Engine => Services.GetRequiredService<WeftEngine>();

    public static async Task<TestServer> StartAsync(Action<WeftServerOptions>? configure = null, Action<WebApplicationBuilder>? customize = null)
    {
        var options = new WeftServerOptions { Workers = 4 };
        configure?.Invoke(options);
        var app = WeftServerApp.Build(options, ["http://127.0.0.1:0"], b =>
        {
            b.Logging.ClearProviders();
            customize?.Invoke(b);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, address);
    }

    public async Task<string> SubmitAsync(string yaml, object? extra = null)
    {
        var response = await Client.PostAsJsonAsync("/api/runs", new { definition = yaml });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Waits for the run to end in the engine (a signal, not a sleep), with a hard limit.</summary>
    public async Task<RunSnapshot> WaitAsync(string runId) =>
        await Engine.WatchAsync(runId).LastAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)) is { } _
            ? Engine.GetRun(runId)!
            : throw new TimeoutException();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
