using Weft.Configuration;

namespace Weft.Definitions;

/// <summary>Runs <see cref="Image"/> as a container through the <c>docker</c> or <c>podman</c> command
/// (<c>containers:</c> in the configuration). Output is the container's stdout; the exit code is
/// recorded and classifies for retries like a shell task's (<c>exit:N</c>). Templates in any string
/// field reach the container as separate arguments or environment variables, never as shell code.</summary>
/// <param name="Image">The image reference, e.g. <c>registry.example.com/team/builder:1.4</c>.</param>
public sealed record ContainerSpec(string Image) : TaskSpec
{
    /// <summary>Always <c>container</c>.</summary>
    public override string Kind => "container";

    /// <summary>The container's command as separate arguments (no shell); null: <see cref="Script"/>,
    /// else the image's own command.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>A command run by the image's shell (<c>/bin/sh -c</c>); templates in it go in through
    /// environment variables, as in <c>shell:</c>. At most one of <see cref="Command"/> and this.</summary>
    public string? Script { get; init; }

    /// <summary>Variables set in the container; null for none.</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    /// <summary>Mounts, each as the runtime's <c>--volume</c> takes it (<c>HOST:CONTAINER[:ro]</c>).</summary>
    public IReadOnlyList<string>? Volumes { get; init; }

    /// <summary>The working directory inside the container; null: the image's.</summary>
    public string? WorkDir { get; init; }

    /// <summary>The user (and group) the command runs as, e.g. <c>1000:1000</c>; null: the image's.</summary>
    public string? User { get; init; }

    /// <summary><c>none</c>, <c>bridge</c>, <c>host</c> or a network's name; null: the runtime's default.</summary>
    public string? Network { get; init; }

    /// <summary>The memory limit in bytes; null for none. Also the task's <c>memory</c> reservation
    /// when it declares no <c>resources:</c>.</summary>
    public long? Memory { get; init; }

    /// <summary>The CPU limit (1.5 = one and a half cores); null for none. Also the task's <c>cpu</c>
    /// reservation when it declares no <c>resources:</c>.</summary>
    public double? Cpus { get; init; }

    /// <summary>When the image is pulled; null: the configuration's <c>containers.pull</c> (default missing).</summary>
    public PullPolicy? Pull { get; init; }

    /// <summary>True keeps the container after it ends (no <c>--rm</c>), for inspection; weft then
    /// removes it only when an attempt is stopped (timeout, cancel, shutdown).</summary>
    public bool Keep { get; init; }

    /// <summary>What the limits reserve on the scheduler: <c>cpu</c> and <c>memory</c> (bytes).</summary>
    internal IReadOnlyDictionary<string, double> Reservation()
    {
        if (Memory is null && Cpus is null)
        {
            return EmptyMaps.Doubles;
        }

        var reservation = new Dictionary<string, double>(StringComparer.Ordinal);
        if (Cpus is { } cpus)
        {
            reservation["cpu"] = cpus;
        }

        if (Memory is { } memory)
        {
            reservation["memory"] = memory;
        }

        return reservation;
    }
}
