using System.Net;
using System.Net.Sockets;

namespace Weft.Tests.Handlers;

/// <summary>A real HTTP server on 127.0.0.1 with an ephemeral port, answering each request with
/// <see cref="Handler"/>. Requests it saw are recorded.</summary>
internal sealed class TestHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public TestHttpServer(Func<HttpListenerContext, CancellationToken, Task> handler)
    {
        Handler = handler;

        // HttpListener needs a concrete port: take a free one from the OS. Retry on the rare race.
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Close();
            }
        }

        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public Func<HttpListenerContext, CancellationToken, Task> Handler { get; set; }

    public List<(string Method, string Path, string Body, string? ContentType, string? Custom)> Requests { get; } = [];

    /// <summary>The request target of each request exactly as sent (escapes kept), with every header.</summary>
    public List<(string RawUrl, System.Collections.Specialized.NameValueCollection Headers)> Raw { get; } = [];

    /// <summary>Fires when the server shuts down: handlers that hang wait on it instead of sleeping.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => Serve(context));
        }
    }

    private async Task Serve(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            lock (Requests)
            {
                Requests.Add((context.Request.HttpMethod, context.Request.Url!.PathAndQuery, body, context.Request.ContentType, context.Request.Headers["X-Custom"]));
                Raw.Add((context.Request.RawUrl ?? string.Empty, new System.Collections.Specialized.NameValueCollection(context.Request.Headers)));
            }

            await Handler(context, _stopping.Token);
            context.Response.Close();
        }
        catch (Exception)
        {
            // The client went away (body limit reached, timeout, cancellation): expected in these tests.
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
                // Already gone.
            }
        }
    }
}
