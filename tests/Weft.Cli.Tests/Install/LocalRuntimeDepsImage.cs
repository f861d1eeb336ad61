using System.Diagnostics;
using System.Formats.Tar;
using System.Text;

namespace Weft.Tests.Install;

/// <summary>A stand-in for mcr.microsoft.com/dotnet/runtime-deps, made offline for the Containerfile's
/// BASE: the host's shared libraries that a self-contained weft loads (what <c>ldd</c> names for the
/// apphost and every native library of the published folder, plus OpenSSL, which .NET loads by name),
/// the static busybox as /bin/sh and the usual tools, /tmp, and the image's "app" user (1654). Written
/// as a tarball and imported with <c>podman import</c>: no registry is involved.</summary>
internal static class LocalRuntimeDepsImage
{
    private const string Busybox = "/bin/busybox";

    public static async Task BuildAsync(string podman, string published, string tarball, string tag)
    {
        var libraries = await SharedLibrariesAsync(published);
        await using (var file = File.Create(tarball))
        {
            await using var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false);
            var directories = new HashSet<string>(StringComparer.Ordinal);
            await DirectoryAsync(tar, directories, "tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
            await DirectoryAsync(tar, directories, "home/app", owner: 1654);
            await FileAsync(tar, directories, "etc/passwd", Encoding.ASCII.GetBytes("root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654::/home/app:/bin/sh\n"), executable: false);
            await FileAsync(tar, directories, "etc/group", Encoding.ASCII.GetBytes("root:x:0:\napp:x:1654:\n"), executable: false);
            await FileAsync(tar, directories, "bin/busybox", await File.ReadAllBytesAsync(Busybox), executable: true);
            foreach (var applet in await AppletsAsync())
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox", Mode = Executable });
            }

            foreach (var library in libraries)
            {
                // Written at the path the loader asks for, with the content of what that path points to.
                await FileAsync(tar, directories, library.TrimStart('/'), await File.ReadAllBytesAsync(library), executable: true);
            }
        }

        var (code, output) = await ToolInstallTests.RunAsync(podman, Path.GetDirectoryName(tarball)!, TimeSpan.FromMinutes(3), "import", tarball, tag);
        Assert.True(code == 0, $"podman import of the local base image failed:\n{output}");
    }

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static async Task<SortedSet<string>> SharedLibrariesAsync(string published)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var binaries = Directory.EnumerateFiles(published, "*.so").Append(Path.Combine(published, "weft"));
        foreach (var binary in binaries)
        {
            var (code, output) = await ToolInstallTests.RunAsync("ldd", published, TimeSpan.FromMinutes(1), binary);
            Assert.True(code == 0 || output.Contains("not a dynamic executable", StringComparison.Ordinal), $"ldd {binary} failed:\n{output}");
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
                var path = line.Contains("=>", StringComparison.Ordinal) ? line[(line.IndexOf("=>", StringComparison.Ordinal) + 2)..].Trim() : line;
                path = path.Split(' ')[0];
                if (path.StartsWith('/') && File.Exists(path))
                {
                    found.Add(path);
                }
            }
        }

        var (_, cache) = await ToolInstallTests.RunAsync("ldconfig", published, TimeSpan.FromMinutes(1), "-p");
        foreach (var line in cache.Split('\n'))
        {
            if ((line.Contains("libssl.so.3 ", StringComparison.Ordinal) || line.Contains("libcrypto.so.3 ", StringComparison.Ordinal))
                && line.Contains("x86-64", StringComparison.Ordinal) && line.Split("=> ") is [_, var path] && File.Exists(path.Trim()))
            {
                found.Add(path.Trim());
            }
        }

        Assert.Contains(found, f => f.EndsWith("/libc.so.6", StringComparison.Ordinal));
        return found;
    }

    private static async Task<IReadOnlyList<string>> AppletsAsync()
    {
        var (code, output) = await ToolInstallTests.RunAsync(Busybox, "/", TimeSpan.FromMinutes(1), "--list");
        Assert.True(code == 0, $"busybox --list failed: {output}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(a => a != "busybox")];
    }

    private static async Task DirectoryAsync(TarWriter tar, HashSet<string> written, string path, UnixFileMode mode = Executable, int owner = 0)
    {
        var parent = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(parent) && !written.Contains(parent))
        {
            await DirectoryAsync(tar, written, parent);
        }

        if (written.Add(path))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, path + "/") { Mode = mode, Uid = owner, Gid = owner });
        }
    }

    private static async Task FileAsync(TarWriter tar, HashSet<string> directories, string path, byte[] content, bool executable)
    {
        if (Path.GetDirectoryName(path) is { Length: > 0 } parent)
        {
            await DirectoryAsync(tar, directories, parent);
        }

        var mode = executable ? Executable : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path) { Mode = mode, DataStream = new MemoryStream(content) });
    }
}
