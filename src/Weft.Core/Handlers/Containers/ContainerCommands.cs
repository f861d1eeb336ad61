using System.Diagnostics;

namespace Weft.Handlers.Containers;

/// <summary>The runtime's short subcommands around a run: is the image here, pull it, kill and remove a
/// container. Each is one process with bounded output, like a shell task's.</summary>
internal static class ContainerCommands
{
    /// <summary>How long removing a container may take when an attempt is stopped; it runs after the
    /// attempt's own token has fired, so it needs a limit of its own.</summary>
    public static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(20);

    public static ProcessStartInfo StartInfo(ContainerRuntimeProgram runtime, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(runtime.Path);
        foreach (var argument in runtime.GlobalArguments().Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Runs a subcommand; returns its exit code (-1 when cancelled) and the last line it wrote to stderr.</summary>
    public static async Task<(int ExitCode, string? Error)> RunAsync(ContainerRuntimeProgram runtime, IEnumerable<string> arguments, CancellationToken token)
    {
        var (exit, _, error) = await CaptureAsync(runtime, arguments, token).ConfigureAwait(false);
        return (exit, error);
    }

    private static async Task<(int ExitCode, string Output, string? Error)> CaptureAsync(ContainerRuntimeProgram runtime, IEnumerable<string> arguments, CancellationToken token)
    {
        var result = await ShellProcessRunner.RunAsync(StartInfo(runtime, arguments), 64 * 1024, ShellProcessRunner.DefaultPipeDrainGrace, token)
            .ConfigureAwait(false);
        return (result.Cancelled ? -1 : result.ExitCode, result.Stdout.ToText(trimTrailingNewlines: true, out _), LastLine(result.Stderr.ToText(trimTrailingNewlines: true, out _)));
    }

    /// <summary>Kills and removes the containers earlier attempts of this task left (labelled with
    /// <paramref name="key"/>) that <paramref name="remove"/> picks by name.</summary>
    public static async Task RemoveLeftoversAsync(ContainerRuntimeProgram runtime, string key, Func<string, bool> remove, TimeProvider clock)
    {
        using var limit = new CancellationTokenSource(CleanupLimit, clock);
        var (exit, output, _) = await CaptureAsync(runtime, ["ps", "--all", "--filter", "label=weft.key=" + key, "--format", "{{.Names}}"], limit.Token)
            .ConfigureAwait(false);
        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(remove).ToList();
        if (exit == 0 && names.Count > 0)
        {
            await RemoveAsync(runtime, names, clock).ConfigureAwait(false);
        }
    }

    public static async Task<bool> ImagePresentAsync(ContainerRuntimeProgram runtime, string image, CancellationToken token) =>
        (await RunAsync(runtime, ["image", "inspect", "--format", "{{.Id}}", image], token).ConfigureAwait(false)).ExitCode == 0;

    /// <summary>Kills and removes the named containers; waits at most <see cref="CleanupLimit"/>. Name
    /// only containers that exist: podman removes none of them when one is missing.</summary>
    public static async Task RemoveAsync(ContainerRuntimeProgram runtime, IReadOnlyList<string> names, TimeProvider clock)
    {
        using var limit = new CancellationTokenSource(CleanupLimit, clock);
        try
        {
            // `rm -f` kills with SIGKILL at once on docker, but podman first sends the stop signal and
            // waits its stop timeout (10 s): `kill` first makes both immediate.
            await RunAsync(runtime, ["kill", .. names], limit.Token).ConfigureAwait(false);
            await RunAsync(runtime, ["rm", "-f", .. names], limit.Token).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The runtime vanished since the attempt started: nothing we can remove.
        }
    }

    /// <summary>The last meaningful line of a runtime's stderr (its "Error: …"), without log noise.</summary>
    public static string? LastLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0 && !l.StartsWith("…[output truncated:", StringComparison.Ordinal));
}
