using System.Diagnostics;
using Weft.Configuration;

namespace Weft.Testing;

/// <summary>The real podman the container task tests run on. The first use writes a storage
/// configuration of this test process's own (vfs, under a temporary directory removed at exit or, when
/// the test host was killed first, by the next test process),
/// points <c>CONTAINERS_CONF</c> at tests/Fixtures/podman/containers.conf and builds
/// <see cref="Image"/> from nothing but the static busybox binary: no registry is needed. Without
/// podman, runc or busybox-static the tests fail with a message saying what to install; they never skip.</summary>
internal static class TestPodman
{
    /// <summary>An image of busybox alone (sh, echo, sleep, env, id…), built locally.</summary>
    public const string Image = "localhost/weft-test-busybox:1";

    private const string Busybox = "/bin/busybox";

    private const string StoragePrefix = "weft-podman-";

    private static readonly Lazy<string> Ready = new(Prepare, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The podman program, once the image is built.</summary>
    public static string Program => Ready.Value;

    /// <summary>Settings that run container tasks on this podman.</summary>
    public static ContainerSettings Settings() => new() { Runtime = ContainerRuntime.Podman, Path = Program };

    /// <summary>Runs podman with <paramref name="args"/>; returns its exit code and stdout (stderr appended on failure).</summary>
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var info = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"podman {string.Join(' ', args)} did not finish in 120 s");
        }

        return (process.ExitCode, process.ExitCode == 0 ? stdout.Result : stdout.Result + stderr.Result);
    }

    /// <summary>The names of every container podman has (running or not).</summary>
    public static IReadOnlyList<string> Containers()
    {
        var (exit, output) = Run("ps", "-a", "--format", "{{.Names}}");
        Assert.True(exit == 0, $"podman ps failed: {output}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private static string Prepare()
    {
        var program = new[] { "/usr/bin/podman", "/usr/local/bin/podman" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("podman is not installed: the container task tests need Debian's podman, runc and busybox-static (apt-get install -y podman runc busybox-static; scripts/test.sh installs them)");
        if (!File.Exists(Busybox) || !File.Exists("/usr/sbin/runc") && !File.Exists("/usr/bin/runc"))
        {
            throw new InvalidOperationException("runc or the static busybox is missing: apt-get install -y runc busybox-static (scripts/test.sh installs them)");
        }

        // Named by process id: a test host that is killed before its exit handler runs leaves its
        // storage behind, and the next test process removes it (its owner is gone).
        RemoveStorageOfEndedProcesses();
        var root = Path.Combine(Path.GetTempPath(), $"{StoragePrefix}{Environment.ProcessId}");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true); // an ended process that had this id
        }

        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Cleanup(program, root);
        File.WriteAllText(Path.Combine(root, "storage.conf"), $"""
            [storage]
            driver = "vfs"
            runroot = "{root}/run"
            graphroot = "{root}/storage"
            """);
        Environment.SetEnvironmentVariable("CONTAINERS_CONF", Path.Combine(RepositoryRoot(), "tests", "Fixtures", "podman", "containers.conf"));
        Environment.SetEnvironmentVariable("CONTAINERS_STORAGE_CONF", Path.Combine(root, "storage.conf"));

        var context = Directory.CreateDirectory(Path.Combine(root, "image")).FullName;
        File.Copy(Busybox, Path.Combine(context, "busybox"));
        File.WriteAllText(Path.Combine(context, "Containerfile"), """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "--install", "-s", "/bin"]
            """);
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "build", "--tag", Image, context })
        {
            info.ArgumentList.Add(arg);
        }

        using var build = Process.Start(info)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var error = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(TimeSpan.FromSeconds(180)) || build.ExitCode != 0)
        {
            throw new InvalidOperationException($"podman build of the test image failed:\n{output.Result}\n{error.Result}");
        }

        return program;
    }

    private static void RemoveStorageOfEndedProcesses()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), StoragePrefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(directory).AsSpan(StoragePrefix.Length), out var pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static void Cleanup(string program, string root)
    {
        try
        {
            // Containers a failed test left behind, then the storage itself.
            using var reset = Process.Start(new ProcessStartInfo(program, ["rm", "-a", "-f"]) { RedirectStandardOutput = true, RedirectStandardError = true });
            reset?.WaitForExit(TimeSpan.FromSeconds(30));
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository (Weft.slnx) above " + AppContext.BaseDirectory);
    }
}
