using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Weft.Tests.Install;

/// <summary>The README's one step to get `weft` on the PATH: scripts/install-weft.sh packs the CLI as
/// a .NET tool and installs it; the installed command then runs a workflow.</summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly string _toolPath = Path.Combine(Path.GetTempPath(), "weft-tool-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task InstallScript_PacksAndInstallsTheTool_WhichRunsAWorkflow()
    {
        var root = RepoRoot();

        var install = await RunAsync("bash", root, TimeSpan.FromMinutes(10), Path.Combine(root, "scripts", "install-weft.sh"), "--tool-path", _toolPath);
        Assert.True(install.Code == 0, $"install failed ({install.Code}):\n{install.Output}");

        var weft = Path.Combine(_toolPath, "weft");
        var version = await RunAsync(weft, root, TimeSpan.FromMinutes(1), "--version");
        Assert.Equal(0, version.Code);
        Assert.StartsWith("0.1.0-dev.", version.Output.Trim(), StringComparison.Ordinal);

        // On linux-x64 the install is the RID-specific package, precompiled (ReadyToRun) so the command
        // starts without JIT-compiling most of itself (docs/PERFORMANCE.md, "Start-up"); elsewhere the
        // framework-dependent IL package `weft.any`.
        if (RuntimeInformation.RuntimeIdentifier == "linux-x64")
        {
            var installed = Directory.GetDirectories(Path.Combine(_toolPath, ".store", "weft"), "weft.linux-x64", SearchOption.AllDirectories);
            Assert.True(installed.Length == 1, $"the tool installed is not weft.linux-x64: {string.Join(", ", Directory.GetFileSystemEntries(_toolPath, "*", SearchOption.AllDirectories).Take(20))}");
            foreach (var assembly in new[] { "weft.dll", "Weft.Core.dll" })
            {
                var file = Directory.GetFiles(installed[0], assembly, SearchOption.AllDirectories).Single();
                Assert.True(IsReadyToRun(file), $"{file} is IL only, not ReadyToRun");
            }
        }

        var run = await RunAsync(weft, root, TimeSpan.FromMinutes(1), "run", Path.Combine(root, "examples", "hello.yaml"), "--store", "memory");
        Assert.True(run.Code == 0, run.Output);
        Assert.Contains("succeeded", run.Output, StringComparison.Ordinal);

        // The packed tool carries the benchmark (a plain Debug build does not: BenchInBuildTests).
        var bench = await RunAsync(weft, root, TimeSpan.FromMinutes(2), "bench", "W2", "--runs", "1", "--json");
        Assert.True(bench.Code == 0, bench.Output);
        Assert.Contains("\"W2\"", bench.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_toolPath))
        {
            Directory.Delete(_toolPath, recursive: true);
        }
    }

    /// <summary>Whether an assembly carries precompiled code: a ReadyToRun image has a managed native
    /// header in its CLR header (an IL-only assembly has none).</summary>
    internal static bool IsReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    internal static string RepoRoot()
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

    internal static async Task<(int Code, string Output)> RunAsync(string program, string directory, TimeSpan limit, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran longer than {limit}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
