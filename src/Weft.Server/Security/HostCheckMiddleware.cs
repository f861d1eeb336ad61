using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Weft.Server.Security;

/// <summary>Refuses, with 421 Misdirected Request, a request whose Host name <see cref="HostCheck"/>
/// does not allow, before anything else in the app sees it (API, dashboard, event stream, metrics).
/// Added as a startup filter by <c>AddWeft</c>, so a user's own app gets it too.</summary>
internal sealed class HostCheckMiddleware(RequestDelegate next, IOptions<WeftServerOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (HostCheck.IsAllowed(host, options.Value))
        {
            return next(context);
        }

        return Results.Problem(
            statusCode: StatusCodes.Status421MisdirectedRequest,
            title: "host not allowed",
            detail: $"this server has no API token, so it answers only to localhost, 127.0.0.1 and [::1], not to host '{host}'; " +
                "if you reach it through this name on purpose, add it with --allowed-hosts (Weft:AllowedHosts)")
            .ExecuteAsync(context);
    }
}

/// <summary>Puts <see cref="HostCheckMiddleware"/> first in the pipeline.</summary>
internal sealed class HostCheckStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<HostCheckMiddleware>();
        next(app);
    };
}
