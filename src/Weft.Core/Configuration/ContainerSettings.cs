namespace Weft.Configuration;

/// <summary>Container runtimes a container task may run on.</summary>
public enum ContainerRuntime
{
    /// <summary>The docker command.</summary>
    Docker,
    /// <summary>The podman command.</summary>
    Podman,
    /// <summary>docker when it is on PATH, else podman (the default).</summary>
    Auto,
}

/// <summary>When a container task pulls its image.</summary>
public enum PullPolicy
{
    /// <summary>Pull an image only when it is not present locally (the default).</summary>
    Missing,
    /// <summary>Pull before every run.</summary>
    Always,
    /// <summary>Never pull: a missing image fails the task.</summary>
    Never,
}

/// <summary>The <c>containers:</c> section: how <c>container:</c> tasks reach their runtime. The same
/// object is <see cref="WeftOptions.Containers"/> and <see cref="Cluster.ClusterWorkerOptions.Containers"/>.</summary>
public sealed class ContainerSettings
{
    /// <summary>Which container runtime runs <c>container:</c> tasks. Default <see cref="ContainerRuntime.Auto"/>:
    /// docker when it is on PATH, else podman.</summary>
    public ContainerRuntime Runtime { get; set; } = ContainerRuntime.Auto;

    /// <summary>The runtime's program: a path, or a name looked up on PATH. Null: <c>docker</c> or
    /// <c>podman</c>, as <see cref="Runtime"/> says. With <see cref="ContainerRuntime.Auto"/>, a program
    /// whose name contains <c>podman</c> is taken for podman, any other for docker.</summary>
    public string? Path { get; set; }

    /// <summary>The runtime's endpoint (e.g. <c>unix:///var/run/docker.sock</c>), passed as docker's
    /// <c>--host</c> or podman's <c>--url</c>; null: its own default.</summary>
    public string? Host { get; set; }

    /// <summary>When images are pulled, for a task that sets no <c>pull:</c>. Default: only when missing.</summary>
    public PullPolicy Pull { get; set; } = PullPolicy.Missing;

    internal void CopyTo(ContainerSettings target)
    {
        target.Runtime = Runtime;
        target.Path = Path;
        target.Host = Host;
        target.Pull = Pull;
    }
}
