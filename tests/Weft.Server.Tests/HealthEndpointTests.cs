using System.Net;

namespace Weft.Server.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_NeedsNoToken_AndSaysHealthy()
    {
        await using var server = await TestServer.StartAsync(o => o.Token = "s3cret-token");
        using var anonymous = new HttpClient { BaseAddress = server.Client.BaseAddress };

        using var response = await anonymous.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_OpenBreaker_SaysDegraded_WithoutItsReasons()
    {
        await using var server = await BreakerApiTests.StartWithOpenBreakerAsync();

        using var response = await server.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // degraded still serves traffic
        Assert.Equal("Degraded", await response.Content.ReadAsStringAsync());
    }
}
