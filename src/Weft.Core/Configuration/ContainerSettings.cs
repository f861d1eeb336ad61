namespace Weft.Configuration;

/// <summary>Container runtimes a container task may run on.</summary>
public enum ContainerRuntime
{
    /// <summary>The docker command.</summary>
    Docker,
    /// <summary>The podman command.</summary>
    Podman,
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

/// <summary>The <c>containers:</c> section.</summary>
public sealed class ContainerSettings
{
    /// <summary>Which container runtime runs <c>container:</c> tasks. Default docker.</summary>
    public ContainerRuntime Runtime { get; set; } = ContainerRuntime.Docker;

    /// <summary>The runtime's endpoint (e.g. <c>unix:///var/run/docker.sock</c>); null: its own default.</summary>
    public string? Host { get; set; }

    /// <summary>When images are pulled. Default: only when missing.</summary>
    public PullPolicy Pull { get; set; } = PullPolicy.Missing;
}
