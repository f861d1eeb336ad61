using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Weft.Server.Api;

/// <summary>The engine's circuit breakers, and closing one by hand.</summary>
internal static class BreakerEndpoints
{
    public static void MapReads(RouteGroupBuilder api) =>
        api.MapGet("/breakers", (WeftEngine engine) => Results.Ok(engine.ListBreakers().Select(View)))
            .WithName("ListBreakers").WithSummary("Circuit breakers with their state, consecutive failures, when they opened and their waiting tasks.")
            .Produces<IEnumerable<BreakerView>>();

    public static void MapMutations(RouteGroupBuilder api) =>
        api.MapPost("/breakers/{key}/reset", Reset)
            .WithName("ResetBreaker").WithSummary("Closes a circuit breaker by hand; the tasks waiting on it go on.")
            .Produces<BreakerView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static IResult Reset(string key, WeftEngine engine)
    {
        if (!engine.ResetBreaker(key))
        {
            var known = engine.ListBreakers().Select(b => b.Key).ToList();
            return Problems.NotFound(known.Count == 0
                ? $"no circuit breaker '{key}': no breaker has been used yet"
                : $"no circuit breaker '{key}'; known: {string.Join(", ", known)}");
        }

        return engine.ListBreakers().FirstOrDefault(b => b.Key == key) is { } breaker
            ? Results.Ok(View(breaker))
            : Results.Ok(new BreakerView(key, "closed", 0, null, null, 0));
    }

    private static BreakerView View(BreakerStatus b) => new(b.Key, b.State, b.Failures, b.OpenedAt, b.OpenUntil, b.Waiting);
}

internal sealed record BreakerView(string Key, string State, int Failures, DateTimeOffset? OpenedAt, DateTimeOffset? OpenUntil, int Waiting);
