namespace Weft.Configuration;

/// <summary>Container runtimes a container task may run on.</summary>
public enum ContainerRuntime
{
    Docker,
    Podman,
}

/// <summary>When a container task pulls its image.</summary>
public enum PullPolicy
{
    Missing,
    Always,
    Never,
}

/// <summary>The <c>containers:</c> section.</summary>
public sealed class ContainerSettings
{
    public ContainerRuntime Runtime { get; set; } = ContainerRuntime.Docker;

    /// <summary>The runtime's endpoint (e.g. <c>unix:///var/run/docker.sock</c>); null: its own default.</summary>
    public string? Host { get; set; }

    public PullPolicy Pull { get; set; } = PullPolicy.Missing;
}
