using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Weft.Server.Api;

namespace Weft.Server.Security;

/// <summary>Guards every mutation of the API: refused in read-only mode; with a token configured, it
/// must come as <c>Authorization: Bearer TOKEN</c> (401 without, 403 when wrong). CSRF: a browser
/// cannot add an Authorization or <c>X-Weft-Request</c> header to a cross-site request without a CORS
/// preflight, which this server never grants, and a cross-site Origin is refused outright; so a
/// mutation must carry one of those headers (the dashboard and the CLI do).</summary>
internal sealed class MutationGuard(IOptions<WeftServerOptions> options) : IEndpointFilter
{
    public const string RequestHeader = "X-Weft-Request";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var o = options.Value;
        var request = context.HttpContext.Request;
        if (o.ReadOnly)
        {
            return Problems.Forbidden("the server is read-only: runs, workflows, schedules and breakers cannot be changed through it");
        }

        if (request.Headers.Origin is [{ } origin] && !SameOrigin(origin, request))
        {
            return Problems.Forbidden($"cross-site request from '{origin}' refused");
        }

        var bearer = Bearer(request);
        if (o.Token is { } token)
        {
            if (bearer is null)
            {
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Unauthorized("this server needs an API token for changes: send 'Authorization: Bearer TOKEN'");
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(bearer), Encoding.UTF8.GetBytes(token)))
            {
                return Problems.Forbidden("the API token is not valid");
            }
        }
        else if (bearer is null && !request.Headers.ContainsKey(RequestHeader))
        {
            return Problems.Forbidden($"changes must carry the header '{RequestHeader}: 1' (or an Authorization header), which cross-site pages cannot send");
        }

        return await next(context).ConfigureAwait(false);
    }

    private static string? Bearer(HttpRequest request) =>
        request.Headers.Authorization is [{ } value] && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : null;

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
