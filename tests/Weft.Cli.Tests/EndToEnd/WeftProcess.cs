using System.Diagnostics;
using System.Text;

namespace Weft.Tests.EndToEnd;

/// <summary>Runs the built <c>weft</c> (<c>dotnet weft.dll ...</c>, copied next to the tests by the
/// project reference) as a real process, with a hard timeout so a hang fails instead of blocking.</summary>
internal sealed class WeftProcess : IDisposable
{
    public static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly object _gate = new();

    private WeftProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _out.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _err.ToString();
            }
        }
    }

    public static WeftProcess Start(string workingDirectory, params string[] args) =>
        StartWith(workingDirectory, null, args);

    /// <summary>Starts weft with extra environment variables (a null value removes the variable).</summary>
    public static WeftProcess StartWith(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = Info(workingDirectory, environment, args);
        var process = new Process { StartInfo = info };
        var weft = new WeftProcess(process);
        process.OutputDataReceived += (_, e) => weft.Append(weft._out, e.Data);
        process.ErrorDataReceived += (_, e) => weft.Append(weft._err, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return weft;
    }

    /// <summary>Runs to the end and returns stdout exactly as written (not split into lines).</summary>
    public static async Task<WeftResult> RunRawAsync(string workingDirectory, params string[] args)
    {
        using var process = Process.Start(Info(workingDirectory, null, args))!;
        using var timeout = new CancellationTokenSource(HardTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return new WeftResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"weft did not exit within {HardTimeout.TotalSeconds:0} s.");
            throw;
        }
    }

    private static ProcessStartInfo Info(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "weft.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("WEFT_DEBUG");

        // A store or key in the developer's environment must not leak into the tests.
        info.Environment.Remove("WEFT_STORE");
        info.Environment.Remove("WEFT_ENCRYPTION_KEY");
        info.Environment.Remove("WEFT_ENCRYPTION_KEY_FILE");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>Kills this process alone with SIGKILL, as a crash would end it (its children live on).</summary>
    public void Crash()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>How many processes this one has started that still run (Linux: parents in /proc): a worker
    /// with a child is running a shell task right now, not merely holding one it was sent.</summary>
    public int ChildCount()
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 1 && fields[1] == _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return count;
    }

    /// <summary>Runs to the end and returns the exit code and both outputs.</summary>
    public static async Task<WeftResult> RunAsync(string workingDirectory, params string[] args)
    {
        using var weft = Start(workingDirectory, args);
        var exit = await weft.WaitForExitAsync();
        return new WeftResult(exit, weft.Stdout, weft.Stderr);
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(HardTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"weft did not exit within {HardTimeout.TotalSeconds:0} s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        // Drains the asynchronous readers.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Waits until stdout or stderr contains <paramref name="text"/>; false after <paramref name="within"/>.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (Stdout.Contains(text, StringComparison.Ordinal) || Stderr.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Sends a POSIX signal by name (INT, TERM) with <c>kill</c>.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>True when this process ignores SIGINT, as a job started with '&amp;' by a shell without
    /// job control does. A child inherits that, and the .NET runtime then leaves SIGINT ignored (the
    /// POSIX convention for background jobs), so a SIGINT test can only send SIGTERM, which weft
    /// handles the same way.</summary>
    public static bool SigintIgnoredHere()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return false;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var mask)
            && (mask & (1UL << (2 - 1))) != 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.AppendLine(line);
        }
    }
}

internal sealed record WeftResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
