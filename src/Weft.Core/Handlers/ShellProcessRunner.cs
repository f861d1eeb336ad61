using System.Buffers;
using System.Diagnostics;

namespace Weft.Handlers;

/// <summary>What one process run produced.</summary>
internal readonly record struct ShellProcessResult(int ExitCode, bool Cancelled, BoundedTextCollector Stdout, BoundedTextCollector Stderr);

/// <summary>Runs one process to completion or cancellation, draining both pipes into bounded collectors.
/// On cancellation the whole process tree is killed. After the process exits (or is killed), the pipes
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

        using var process = new Process { StartInfo = startInfo };
        process.Start();
        process.StandardInput.Close();

        var stdout = new BoundedTextCollector(outputLimit);
        var stderr = new BoundedTextCollector(StderrLimitBytes);
        using var drain = new CancellationTokenSource();
        var stdoutPump = PumpAsync(process.StandardOutput.BaseStream, stdout, drain.Token);
        var stderrPump = PumpAsync(process.StandardError.BaseStream, stderr, drain.Token);

        var cancelled = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            KillTree(process);

            // SIGKILL cannot be ignored, so this wait is short; it also reaps the child (no zombie).
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        drain.CancelAfter(pipeDrainGrace);
        await Task.WhenAll(stdoutPump, stderrPump).ConfigureAwait(false);
        return new ShellProcessResult(cancelled ? -1 : process.ExitCode, cancelled, stdout, stderr);
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

    private static async Task PumpAsync(Stream stream, BoundedTextCollector collector, CancellationToken drainToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            // Keep reading past the limit (the collector drops the excess): a writer blocked on a full
            // pipe would never exit.
            int read;
            while ((read = await stream.ReadAsync(buffer, drainToken).ConfigureAwait(false)) > 0)
            {
                collector.Append(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException)
        {
            // Drain grace over: a stray descendant still holds the pipe. Keep what we have.
        }
        catch (IOException)
        {
            // The pipe broke; keep what we have.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
