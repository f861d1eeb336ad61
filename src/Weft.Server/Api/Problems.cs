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

    public static IResult Forbidden(string detail) => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "forbidden", detail: detail);
}
