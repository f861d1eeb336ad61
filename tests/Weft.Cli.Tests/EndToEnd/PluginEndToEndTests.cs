using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Weft.Tests.EndToEnd;

/// <summary><c>--plugin</c> and <c>plugins:</c> with the example plug-in of examples/plugins/HttpJob,
/// built here (as a user would) into a temporary folder, against a job service of the test's.</summary>
public sealed class PluginEndToEndTests : IClassFixture<PluginEndToEndTests.BuiltPlugin>, IDisposable
{
    private readonly BuiltPlugin _plugin;
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-plugin-").FullName;

    public PluginEndToEndTests(BuiltPlugin plugin) => _plugin = plugin;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task APluginsKind_IsUnknownWithoutIt_ValidWithTheFlag_AndRunsThroughTheCli()
    {
        using var service = new JobService();
        File.WriteAllText(Path.Combine(_dir, "flow.yaml"), File.ReadAllText(Path.Combine(BuiltPlugin.Repository(), "examples", "plugins", "deploy.yaml")).Replace("every: 1s", "every: 100ms", StringComparison.Ordinal));

        var unknown = await WeftProcess.RunAsync(_dir, "validate", "flow.yaml");
        var valid = await WeftProcess.RunAsync(_dir, "validate", "flow.yaml", "--plugin", _plugin.Dll);
        var run = await WeftProcess.RunAsync(_dir, "run", "flow.yaml", "--plugin", _plugin.Dll, "--store", "memory", "--json", "-p", $"base={service.Url}", "-p", "app=shop");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown kind 'httpjob' in task 'deploy'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, valid.ExitCode);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        using var document = JsonDocument.Parse(run.Stdout);
        var tasks = document.RootElement.GetProperty("tasks");
        Assert.Equal("""{"url":"https://shop.example/releases/j1"}""", tasks.GetProperty("deploy").GetProperty("output").GetString());
        Assert.Equal("""deployed shop: {"url":"https://shop.example/releases/j1"}""", tasks.GetProperty("announce").GetProperty("output").GetString());
        Assert.True(service.Polls >= 2, $"polled {service.Polls} times"); // it waited for the job, not only started it
    }

    [Fact]
    public async Task APluginListedInTheConfiguration_IsLoadedWithoutTheFlag()
    {
        using var service = new JobService();
        File.WriteAllText(Path.Combine(_dir, "weft.yaml"), $"plugins: [\"{_plugin.Dll}\"]\n");
        File.WriteAllText(Path.Combine(_dir, "flow.yaml"), $$"""
            name: one
            tasks:
              job: { httpjob: { start: "{{service.Url}}/jobs", status: "{{service.Url}}/jobs/{id}", every: 100ms } }
            """);

        var run = await WeftProcess.RunAsync(_dir, "run", "flow.yaml", "--store", "memory");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
    }

    [Fact]
    public async Task ABadPath_ALoadFailure_AndTwoPluginsClaimingOneKind_ExitTwoWithAClearMessage()
    {
        File.WriteAllText(Path.Combine(_dir, "flow.yaml"), "name: x\ntasks:\n  a: { noop: {} }\n");
        File.WriteAllText(Path.Combine(_dir, "junk.dll"), "not an assembly");
        var copy = Directory.CreateDirectory(Path.Combine(_dir, "copy")).FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_plugin.Dll)!))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var missing = await WeftProcess.RunAsync(_dir, "run", "flow.yaml", "--store", "memory", "--plugin", "nowhere/Missing.dll");
        var junk = await WeftProcess.RunAsync(_dir, "validate", "flow.yaml", "--plugin", "junk.dll");
        var twice = await WeftProcess.RunAsync(_dir, "run", "flow.yaml", "--store", "memory", "--plugin", _plugin.Dll, "--plugin", Path.Combine(copy, "HttpJob.dll"));

        Assert.Equal((2, "error: plugin not found: nowhere/Missing.dll\n"), (missing.ExitCode, missing.Stderr));
        Assert.Equal(2, junk.ExitCode);
        Assert.StartsWith("error: cannot load plugin junk.dll: ", junk.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, twice.ExitCode);
        Assert.Equal(
            $"error: the kind 'httpjob' is claimed by two plugins: {_plugin.Dll} (Weft.Examples.HttpJob.HttpJobHandler) and {Path.Combine(copy, "HttpJob.dll")} (Weft.Examples.HttpJob.HttpJobHandler)\n",
            twice.Stderr);
    }

    /// <summary>The example plug-in, built once for the class with <c>dotnet build</c> into a temporary
    /// folder against the Weft.Core.dll this weft runs with.</summary>
    public sealed class BuiltPlugin : IAsyncLifetime
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("weft-plugin-build-").FullName;

        public string Dll => Path.Combine(_dir, "out", "HttpJob.dll");

        public async Task InitializeAsync()
        {
            var source = Path.Combine(Repository(), "examples", "plugins", "HttpJob");
            var project = Directory.CreateDirectory(Path.Combine(_dir, "src")).FullName;
            foreach (var file in Directory.GetFiles(source).Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(project, Path.GetFileName(file)));
            }

            var info = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-o", Path.Combine(_dir, "out"), $"-p:WeftCoreDll={Path.Combine(AppContext.BaseDirectory, "Weft.Core.dll")}", "-nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var build = Process.Start(info)!;
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var output = build.StandardOutput.ReadToEndAsync(limit.Token);
            await build.WaitForExitAsync(limit.Token);
            Assert.True(build.ExitCode == 0, await output);
            Assert.True(File.Exists(Dll));
            Assert.False(File.Exists(Path.Combine(_dir, "out", "Weft.Core.dll")), "Weft.Core is the host's; the plug-in must not carry a copy");
        }

        public Task DisposeAsync()
        {
            Directory.Delete(_dir, recursive: true);
            return Task.CompletedTask;
        }

        public static string Repository()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("the repository root (Weft.slnx) is not above the test's folder");
        }
    }

    /// <summary>A job service: POST /jobs starts job j1 (its body's app is kept), GET /jobs/j1 says
    /// running the first time and done after.</summary>
    private sealed class JobService : IDisposable
    {
        private readonly HttpListener _listener = new();
        private string _app = "?";
        private int _polls;

        public JobService()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = ServeAsync();
        }

        public string Url { get; }

        public int Polls => Volatile.Read(ref _polls);

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                string answer;
                if (context.Request.HttpMethod == "POST")
                {
                    using var reader = new StreamReader(context.Request.InputStream);
                    _app = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.TryGetProperty("app", out var app) ? app.GetString() ?? "?" : "?";
                    answer = """{"id":"j1"}""";
                }
                else
                {
                    answer = Interlocked.Increment(ref _polls) < 2
                        ? """{"state":"running"}"""
                        : $$$"""{"state":"done","result":{"url":"https://{{{_app}}}.example/releases/j1"}}""";
                }

                var bytes = Encoding.UTF8.GetBytes(answer);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }

        public void Dispose() => _listener.Close();
    }
}
