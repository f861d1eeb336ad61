using Microsoft.AspNetCore.Http;

namespace Weft.Server.Api;

/// <summary>RFC 7807 problem details for every error the API returns: bad input names its field.</summary>
internal static class Problems
{
    public static IResult Field(string field, params IEnumerable<string> messages) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [.. messages] },
            title: $"invalid '{field}'", detail: string.Join("; ", messages));

    public static IResult NotFound(string what) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: what);

    public static IResult Conflict(string detail) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "conflict", detail: detail);

    public static IResult Unauthorized(string detail) => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "unauthorized", detail: detail);

    /// <summary>503 with <c>Retry-After</c>: the server cannot take this now (memory critical, queue
    /// full); the client should try again later rather than wait on an open request.</summary>
    public static IResult Unavailable(HttpContext context, string detail, int retryAfterSeconds = RetryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "service unavailable", detail: detail);
    }

    /// <summary>What 503s advise: about two samples of the engine's resource monitor (5 s each by default).</summary>
    public const int RetryAfterSeconds = 10;

    public static IResult Forbidden(string detail) => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "forbidden", detail: detail);
}
