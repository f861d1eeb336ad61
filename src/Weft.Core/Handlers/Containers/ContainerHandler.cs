using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Weft.Configuration;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Handlers.Containers;

/// <summary>Runs <see cref="ContainerSpec"/> tasks with the <c>docker</c> or <c>podman</c> command:
/// removes what an earlier attempt left under this task's container names, makes sure the image is
/// here (as the pull policy says), then <c>run</c>s it attached, stdout as the output. A stopped attempt
/// (timeout, cancel, shutdown) kills and removes its container, which the runtime would otherwise
/// keep running after the command is killed.</summary>
internal sealed class ContainerHandler(ContainerSettings settings) : ITaskHandler
{
    /// <summary>The exit code docker and podman give when they themselves fail (bad option, no such
    /// image, daemon error), as opposed to the container's command.</summary>
    private const int RuntimeFailed = 125;

    public string Kind => "container";

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        if (invocation.Spec is not ContainerSpec spec)
        {
            // A CustomSpec that took the built-in kind's name (C#, a plugin): say so rather than crash.
            return TaskOutcome.Failed($"task '{invocation.TaskId}' has kind 'container' but its spec is a {invocation.Spec.GetType().Name}, not a ContainerSpec");
        }

        var token = invocation.CancellationToken;
        if (token.IsCancellationRequested)
        {
            return TaskOutcome.Cancelled();
        }

        ContainerRun run;
        try
        {
            run = ContainerRun.Render(spec, invocation);
        }
        catch (TemplateResolutionException ex)
        {
            return TaskOutcome.Failed(ex.Message);
        }

        if (run.Problem is { } problem)
        {
            return TaskOutcome.Failed(problem);
        }

        if (ContainerRuntimeProgram.Find(settings, out var missing) is not { } runtime)
        {
            return TaskOutcome.Failed($"cannot run image '{run.Image}': {missing}");
        }

        var name = ContainerNames.For(invocation.RunId, invocation.TaskId, invocation.Attempt);
        try
        {
            // What a worker that died left behind (same names): a kept container of an earlier attempt
            // is the user's to inspect, so only this attempt's name is cleared then.
            await ContainerCommands.RemoveLeftoversAsync(runtime, ContainerNames.Key(invocation.RunId, invocation.TaskId), n => !spec.Keep || n == name, invocation.TimeProvider)
                .ConfigureAwait(false);
            if (await EnsureImageAsync(runtime, run.Image, spec.Pull ?? settings.Pull, token).ConfigureAwait(false) is { } imageProblem)
            {
                return token.IsCancellationRequested ? TaskOutcome.Cancelled() : TaskOutcome.Failed(imageProblem);
            }

            return await RunAsync(runtime, run, name, spec.Keep, invocation).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            return TaskOutcome.Failed($"cannot run image '{run.Image}': cannot start '{runtime.Path}': {ex.Message}");
        }
    }

    /// <summary>Null when the image is here (pulled if the policy says so), else why not.</summary>
    private static async Task<string?> EnsureImageAsync(ContainerRuntimeProgram runtime, string image, PullPolicy pull, CancellationToken token)
    {
        if (pull != PullPolicy.Always && await ContainerCommands.ImagePresentAsync(runtime, image, token).ConfigureAwait(false))
        {
            return null;
        }

        if (token.IsCancellationRequested)
        {
            return "cancelled";
        }

        if (pull == PullPolicy.Never)
        {
            return $"image '{image}' is not present locally and the task's pull policy is never";
        }

        var (exit, error) = await ContainerCommands.RunAsync(runtime, ["pull", image], token).ConfigureAwait(false);
        return exit == 0 ? null : $"pulling image '{image}' failed" + (error is null ? $" (exit code {exit})" : $": {error}");
    }

    private static async Task<TaskOutcome> RunAsync(ContainerRuntimeProgram runtime, ContainerRun run, string name, bool keep, TaskInvocation invocation)
    {
        var startInfo = ContainerCommands.StartInfo(runtime, run.Arguments(name, keep, invocation));
        foreach (var (variable, value) in run.Environment)
        {
            // Values travel in the command's environment (`-e NAME` copies them from there), so they
            // are never parsed, and never shown in the host's process list.
            startInfo.Environment[variable] = value;
        }

        LiveContainers.Add(name, runtime);
        ShellProcessResult result;
        try
        {
            result = await ShellProcessRunner.RunAsync(startInfo, invocation.OutputLimit, ShellProcessRunner.DefaultPipeDrainGrace, invocation.CancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            if (invocation.CancellationToken.IsCancellationRequested)
            {
                await ContainerCommands.RemoveAsync(runtime, [name], invocation.TimeProvider).ConfigureAwait(false);
            }

            LiveContainers.Remove(name);
        }

        return ToOutcome(result, run.Image);
    }

    private static TaskOutcome ToOutcome(ShellProcessResult result, string image)
    {
        var stderrText = result.Stderr.ToText(trimTrailingNewlines: true, out _);
        var stderr = stderrText.Length == 0 ? null : stderrText;
        if (result.Cancelled)
        {
            // The engine turns this into timed_out when the token fired for the task's timeout.
            return TaskOutcome.Cancelled() with { Stderr = stderr };
        }

        var output = result.Stdout.ToText(trimTrailingNewlines: true, out var truncated);
        var kept = output.Length == 0 ? null : output;
        if (result.ExitCode == 0)
        {
            return TaskOutcome.Succeeded(kept, truncated) with { Stderr = stderr, ExitCode = 0 };
        }

        var lastLine = ContainerCommands.LastLine(stderrText);
        if (result.ExitCode == RuntimeFailed)
        {
            // The runtime's own failure has no exit code of the task's: it classifies as `error` for retries.
            return TaskOutcome.Failed($"the container runtime could not run image '{image}'" + (lastLine is null ? " (exit code 125)" : $": {lastLine}")) with
            {
                Output = kept,
                OutputTruncated = truncated,
                Stderr = stderr,
            };
        }

        var code = result.ExitCode.ToString(CultureInfo.InvariantCulture);
        return TaskOutcome.Failed(lastLine is null ? $"exit code {code}" : $"exit code {code}: {lastLine}", result.ExitCode) with
        {
            Output = kept,
            OutputTruncated = truncated,
            Stderr = stderr,
        };
    }
}
