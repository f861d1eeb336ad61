using Weft.Testing;

namespace Weft.Tests.Install;

/// <summary>The repository's Containerfile, as a user builds it: <c>dotnet publish src/Weft.Cli -c Release
/// -r linux-x64</c> (once, into a temporary folder), then <c>podman build</c> with the published folder as
/// context. Offline: BASE is a local stand-in for the runtime-deps image (<see cref="LocalRuntimeDepsImage"/>).
/// The image's weft then prints its version, runs a workflow on its default SQLite store as the
/// non-root user, and has <c>weft bench</c>. Without podman, runc or busybox-static this fails, it never skips.</summary>
public sealed class ContainerImageTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("weft-image-").FullName;
    private readonly string _tag = "localhost/weft-image-test:" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _baseTag = "localhost/weft-test-runtime-deps:" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Containerfile_BuildsTheSelfContainedWeft_WhichRunsAWorkflowInside()
    {
        var podman = TestPodman.Program;
        var root = ToolInstallTests.RepoRoot();
        var published = Path.Combine(_work, "publish");

        // Its own build folders (--artifacts-path), like scripts/install-weft.sh: a publish must not
        // rewrite src/*/bin and obj under a test run that uses them.
        var publish = await ToolInstallTests.RunAsync("dotnet", root, TimeSpan.FromMinutes(30),
            "publish", Path.Combine(root, "src", "Weft.Cli"), "-c", "Release", "-r", "linux-x64", "-o", published,
            "--artifacts-path", Path.Combine(_work, "build"), "--nologo", "-v", "quiet");
        Assert.True(publish.Code == 0, $"dotnet publish failed ({publish.Code}):\n{publish.Output}");
        var hostVersion = await ToolInstallTests.RunAsync(Path.Combine(published, "weft"), _work, TimeSpan.FromMinutes(1), "--version");
        Assert.Equal(0, hostVersion.Code);

        await LocalRuntimeDepsImage.BuildAsync(podman, published, Path.Combine(_work, "base.tar"), _baseTag);
        var build = await Podman(podman, TimeSpan.FromMinutes(5),
            "build", "--build-arg", "BASE=" + _baseTag, "-f", Path.Combine(root, "Containerfile"), "-t", _tag, published);
        Assert.True(build.Code == 0, $"podman build failed ({build.Code}):\n{build.Output}");

        var version = await Podman(podman, TimeSpan.FromMinutes(2), "run", "--rm", "--network", "none", _tag, "--version");
        Assert.True(version.Code == 0, version.Output);
        Assert.Equal(hostVersion.Output.Trim(), version.Output.Trim());

        // Through the image's shell with `weft` from its PATH, as `podman exec` would: a run on the default
        // store (SQLite, in the working directory /var/lib/weft, as user 1654), then the run history.
        var examples = Path.Combine(root, "examples");
        var run = await Podman(podman, TimeSpan.FromMinutes(2), "run", "--rm", "--network", "none", "-v", examples + ":/flows:ro",
            "--entrypoint", "/bin/sh", _tag, "-c", "weft run /flows/hello.yaml && echo '--- runs list' && weft runs list && id -u && ls .weft");
        Assert.True(run.Code == 0, run.Output);
        Assert.Contains("Hello, world!", run.Output, StringComparison.Ordinal);
        Assert.Contains("(hello) succeeded", run.Output, StringComparison.Ordinal);
        var listed = run.Output[run.Output.IndexOf("--- runs list", StringComparison.Ordinal)..];
        Assert.Contains("hello", listed, StringComparison.Ordinal);
        Assert.Contains("succeeded", listed, StringComparison.Ordinal);
        Assert.Contains("\n1654\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("weft.db", run.Output, StringComparison.Ordinal);

        // A published weft carries the benchmark (a Debug build does not: BenchInBuildTests).
        var bench = await Podman(podman, TimeSpan.FromMinutes(2), "run", "--rm", "--network", "none", _tag, "bench", "W2", "--runs", "1", "--json");
        Assert.True(bench.Code == 0, bench.Output);
        Assert.Contains("\"W2\"", bench.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            foreach (var image in new[] { _tag, _baseTag })
            {
                TestPodman.Run("rmi", "--force", image);
            }
        }
        catch (InvalidOperationException)
        {
            // No podman: the test has failed saying what to install; nothing was built.
        }

        Directory.Delete(_work, recursive: true);
    }

    private Task<(int Code, string Output)> Podman(string podman, TimeSpan limit, params string[] args) =>
        ToolInstallTests.RunAsync(podman, _work, limit, args);
}
