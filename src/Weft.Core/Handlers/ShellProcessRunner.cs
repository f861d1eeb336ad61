using System.Diagnostics;

namespace Weft.Handlers;

/// <summary>What one process run produced.</summary>
internal readonly record struct ShellProcessResult(int ExitCode, bool Cancelled, BoundedTextCollector Stdout, BoundedTextCollector Stderr);

/// <summary>Runs one process to completion or cancellation, draining both pipes into bounded collectors.
/// The process leads its own process group (<see cref="TaskProcessGroups"/>); on cancellation the whole
/// process tree and the whole group are killed, and when the process ends by itself what it left
/// running in its group (<c>server &amp;</c>) is killed too: a task's processes end with the task.
/// After the process exits (or is killed), the pipes
/// are drained for at most a grace period (<see cref="DefaultPipeDrainGrace"/>): a descendant that escaped the kill (double-forked
/// daemon, <c>setsid</c>) may hold them open forever, and that must not hang the worker.</summary>
internal static class ShellProcessRunner
{
    /// <summary>How long to keep reading pipes after the process itself is gone. Long enough for
    /// buffered output of a pipeline to arrive; short enough that a left-behind background job
    /// (<c>server &amp;</c>) does not hold the task open.</summary>
    public static readonly TimeSpan DefaultPipeDrainGrace = TimeSpan.FromSeconds(2);

    /// <summary>Stderr is kept with the attempt for diagnosis; 64 KiB holds any useful message.</summary>
    public const int StderrLimitBytes = 64 * 1024;

    /// <summary>Starts the process (throws <see cref="System.ComponentModel.Win32Exception"/> when it
    /// cannot start) and waits for it.</summary>
    public static async Task<ShellProcessResult> RunAsync(
        ProcessStartInfo startInfo, int outputLimit, TimeSpan pipeDrainGrace, CancellationToken cancellationToken)
    {
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;

        // A task must not read the worker's own stdin (a terminal under `weft run`): give it EOF.
        startInfo.RedirectStandardInput = true;
        startInfo.UseShellExecute = false;

        var grouped = InOwnGroup(startInfo);
        using var process = new Process { StartInfo = startInfo };
        process.Start();
        if (grouped)
        {
            TaskProcessGroups.Add(process.Id);
        }

        process.StandardInput.Close();

        var stdout = new BoundedTextCollector(outputLimit);
        var stderr = new BoundedTextCollector(StderrLimitBytes);
        var stdoutPump = PipePump.Start(process.StandardOutput.BaseStream, stdout, "weft stdout");
        var stderrPump = PipePump.Start(process.StandardError.BaseStream, stderr, "weft stderr");

        var cancelled = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;

            // The tree first: it finds descendants that moved to groups of their own; then the group,
            // which holds the orphans the tree walk cannot reach (their parent is gone).
            KillTree(process);
            if (grouped)
            {
                TaskProcessGroups.Kill(process.Id);
            }

            // SIGKILL cannot be ignored, so this wait is short; it also reaps the child (no zombie).
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (grouped)
            {
                TaskProcessGroups.Kill(process.Id);
            }
        }

        try
        {
            await Task.WhenAll(stdoutPump.Ended, stderrPump.Ended).WaitAsync(pipeDrainGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Drain grace over: a stray descendant still holds a pipe. Keep what we have.
        }

        stdoutPump.Stop();
        stderrPump.Stop();
        return new ShellProcessResult(cancelled ? -1 : process.ExitCode, cancelled, stdout, stderr);
    }

    /// <summary>Makes the process start through <c>setsid</c> (same process id, new session and group)
    /// when there is a <c>setsid</c> and the program can be found. A program that cannot be found is
    /// started as is, so that it fails the usual way (Win32Exception naming it).</summary>
    private static bool InOwnGroup(ProcessStartInfo startInfo)
    {
        if (TaskProcessGroups.Setsid is not { } setsid || ResolveProgram(startInfo.FileName) is not { } program)
        {
            return false;
        }

        startInfo.FileName = setsid;
        startInfo.ArgumentList.Insert(0, "--");
        startInfo.ArgumentList.Insert(1, program);
        return true;
    }

    /// <summary>The full path of the program, looked up the way the runtime does: a path as given
    /// (relative to weft's directory), a bare name on PATH.</summary>
    private static string? ResolveProgram(string fileName)
    {
        if (fileName.Length == 0)
        {
            return null;
        }

        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(fileName);
            return File.Exists(full) ? full : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void KillTree(Process process)
    {
        try
        {
            // On Unix .NET stops the process (SIGSTOP) before listing its children, so it cannot fork
            // new ones mid-kill, then SIGKILLs it and every descendant it finds (grandchildren too).
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the token firing and the kill: nothing to do.
        }
        catch (AggregateException)
        {
            // Some descendant exited while being killed; the rest were killed.
        }
    }
}
