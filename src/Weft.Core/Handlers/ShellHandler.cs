// Why System.Diagnostics.Process and not CliWrap: CliWrap does kill the whole tree on forced
// cancellation, but its ExecuteAsync always waits for the stdout/stderr pipes to close
// (Tyrrrz/CliWrap#241, open), so a descendant that escapes the kill or is left running in the
// background holds the task open forever; and bounding output needs a custom PipeTarget anyway.
// With Process we own the three things that matter: Kill(entireProcessTree: true), a bounded
// drain of the pipes, and a bounded buffer (see ShellProcessRunner, BoundedTextCollector).
using System.ComponentModel;
using System.Diagnostics;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Handlers;

/// <summary>Runs <see cref="ShellSpec"/> tasks: <c>/bin/sh -c COMMAND</c>, or COMMAND as a program with
/// <see cref="ShellSpec.Args"/> and no shell. Output is stdout with trailing newlines trimmed.</summary>
internal sealed class ShellHandler : ITaskHandler
{
    private const string Shell = "/bin/sh";

    private readonly TimeSpan _pipeDrainGrace;

    public ShellHandler()
        : this(ShellProcessRunner.DefaultPipeDrainGrace)
    {
    }

    /// <summary>For tests: how long pipes are read after the process exits (see <see cref="ShellProcessRunner"/>).</summary>
    internal ShellHandler(TimeSpan pipeDrainGrace) => _pipeDrainGrace = pipeDrainGrace;

    public string Kind => "shell";

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        var spec = (ShellSpec)invocation.Spec;
        if (invocation.CancellationToken.IsCancellationRequested)
        {
            return TaskOutcome.Cancelled();
        }

        ProcessStartInfo startInfo;
        try
        {
            startInfo = CreateStartInfo(spec, invocation);
        }
        catch (TemplateResolutionException ex)
        {
            return TaskOutcome.Failed(ex.Message);
        }

        if (startInfo.WorkingDirectory.Length > 0 && !Directory.Exists(startInfo.WorkingDirectory))
        {
            return TaskOutcome.Failed($"working directory '{startInfo.WorkingDirectory}' does not exist");
        }

        ShellProcessResult result;
        try
        {
            result = await ShellProcessRunner.RunAsync(startInfo, invocation.OutputLimit, _pipeDrainGrace, invocation.CancellationToken)
                .ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            // The runtime's message names the file and the working directory, and the OS reason.
            return TaskOutcome.Failed($"cannot start '{startInfo.FileName}': {ex.Message}");
        }

        return ToOutcome(result);
    }

    private static ProcessStartInfo CreateStartInfo(ShellSpec spec, TaskInvocation invocation)
    {
        // The environment starts as a copy of the worker's; Env adds to it. Values in Args, Env and
        // WorkDir reach the program as-is (no shell parses them), so rendering the text is safe there.
        var startInfo = new ProcessStartInfo();
        if (spec.Env is not null)
        {
            foreach (var (name, value) in spec.Env)
            {
                startInfo.Environment[name] = invocation.Render(value);
            }
        }

        if (spec.WorkDir is not null)
        {
            startInfo.WorkingDirectory = invocation.Render(spec.WorkDir);
        }

        if (spec.Args is null)
        {
            // Parsed by the shell: templates go in through environment variables, never into the code.
            startInfo.FileName = Shell;
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(ShellCommandRewriter.Rewrite(spec.Command, invocation.Values, startInfo.Environment));
        }
        else
        {
            startInfo.FileName = invocation.Render(spec.Command);
            foreach (var arg in spec.Args)
            {
                startInfo.ArgumentList.Add(invocation.Render(arg));
            }
        }

        return startInfo;
    }

    private static TaskOutcome ToOutcome(ShellProcessResult result)
    {
        if (result.Cancelled)
        {
            // The engine turns this into timed_out when the token fired for the task's timeout.
            return TaskOutcome.Cancelled() with { Stderr = StderrText(result) };
        }

        var output = result.Stdout.ToText(trimTrailingNewlines: true, out var truncated);
        var stderr = StderrText(result);
        if (result.ExitCode == 0)
        {
            // Recorded like a failure's: a user (or a script reading --json) sees 0, not nothing.
            return TaskOutcome.Succeeded(output.Length == 0 ? null : output, truncated) with { Stderr = stderr, ExitCode = 0 };
        }

        var lastLine = LastLine(stderr);
        var error = lastLine is null ? $"exit code {result.ExitCode}" : $"exit code {result.ExitCode}: {lastLine}";
        return TaskOutcome.Failed(error, result.ExitCode) with
        {
            Output = output.Length == 0 ? null : output,
            OutputTruncated = truncated,
            Stderr = stderr,
        };
    }

    private static string? StderrText(ShellProcessResult result)
    {
        var text = result.Stderr.ToText(trimTrailingNewlines: true, out _);
        return text.Length == 0 ? null : text;
    }

    private static string? LastLine(string? text)
    {
        if (text is null)
        {
            return null;
        }

        // Skip the truncation marker: the last thing the program said is more useful.
        return text.Split('\n')
            .Select(l => l.Trim())
            .LastOrDefault(l => l.Length > 0 && !l.StartsWith("…[output truncated:", StringComparison.Ordinal));
    }
}
