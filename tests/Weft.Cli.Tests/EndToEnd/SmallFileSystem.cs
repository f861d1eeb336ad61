using System.Diagnostics;

namespace Weft.Tests.EndToEnd;

/// <summary>A real, small file system (tmpfs) mounted on a fresh directory, so a store on it really
/// fills up or really is read-only. Needs root (the test machines run tests as root); without it the
/// test fails saying so rather than pretending.</summary>
internal sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string directory) => Directory = directory;

    public string Directory { get; }

    public static SmallFileSystem Mount(string size)
    {
        var directory = Path.Combine(Path.GetTempPath(), "weft-fs-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var (exit, error) = Run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory);
        if (exit != 0)
        {
            System.IO.Directory.Delete(directory);
            Assert.Fail($"this test needs a small real file system and cannot mount one (run the tests as root): mount exited {exit}: {error}");
        }

        return new SmallFileSystem(directory);
    }

    /// <summary>Gives the file system a new size (frees space, or takes it away), keeping its files.</summary>
    public void Resize(string size) => Remount("size=" + size);

    public void MakeReadOnly() => Remount("ro");

    public void Dispose()
    {
        Run("umount", "-l", Directory);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; harmless.
        }
    }

    private void Remount(string options)
    {
        var (exit, error) = Run("mount", "-o", "remount," + options, Directory);
        Assert.True(exit == 0, $"remount {options} failed: {error}");
    }

    private static (int Exit, string Error) Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Trim());
    }
}
