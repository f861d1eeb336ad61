using Weft.Configuration;

namespace Weft.Handlers.Containers;

/// <summary>The docker or podman program that runs container tasks, as the settings say, found on
/// PATH at each attempt (so installing one later needs no restart).</summary>
internal sealed record ContainerRuntimeProgram(string Path, bool IsPodman, string? Host)
{
    /// <summary>The program, or null with what is missing in <paramref name="problem"/>.</summary>
    public static ContainerRuntimeProgram? Find(ContainerSettings settings, out string problem)
    {
        problem = string.Empty;
        if (settings.Path is { Length: > 0 } configured)
        {
            if (Resolve(configured) is { } found)
            {
                var podman = settings.Runtime == ContainerRuntime.Podman ||
                    (settings.Runtime == ContainerRuntime.Auto && System.IO.Path.GetFileName(found).Contains("podman", StringComparison.OrdinalIgnoreCase));
                return new ContainerRuntimeProgram(found, podman, settings.Host);
            }

            problem = $"the container runtime '{configured}' (containers.path) was not found";
            return null;
        }

        string[] names = settings.Runtime switch
        {
            ContainerRuntime.Docker => ["docker"],
            ContainerRuntime.Podman => ["podman"],
            _ => ["docker", "podman"],
        };
        foreach (var name in names)
        {
            if (Resolve(name) is { } found)
            {
                return new ContainerRuntimeProgram(found, name == "podman", settings.Host);
            }
        }

        problem = names.Length == 1
            ? $"no container runtime: '{names[0]}' is not on PATH (install it, or set containers.runtime or containers.path)"
            : "no container runtime: neither docker nor podman is on PATH (install one, or set containers.path)";
        return null;
    }

    /// <summary>The arguments that go before every subcommand: the endpoint, when one is set.</summary>
    public IEnumerable<string> GlobalArguments()
    {
        if (Host is { Length: > 0 } host)
        {
            yield return IsPodman ? "--url=" + host : "--host=" + host;
        }
    }

    private static string? Resolve(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var full = System.IO.Path.GetFullPath(program);
            return File.Exists(full) ? full : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
