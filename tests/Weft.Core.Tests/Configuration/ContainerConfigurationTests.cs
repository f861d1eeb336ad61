using System.Collections;
using Weft.Configuration;

namespace Weft.Tests.Configuration;

/// <summary>The <c>containers:</c> section reaches the engine's container tasks (<see cref="WeftOptions.Containers"/>).</summary>
public sealed class ContainerConfigurationTests
{
    [Fact]
    public void ContainersSection_IsAppliedToTheEnginesOptions()
    {
        using var files = new ConfigFiles();
        files.Write("weft.yaml", """
            containers:
              runtime: podman
              path: /opt/podman/bin/podman
              pull: never
            """);

        var configuration = WeftConfiguration.Load(new WeftConfigurationRequest { WorkingDirectory = files.Directory, Environment = new Hashtable() });
        Assert.Empty(configuration.Errors);
        var options = new WeftOptions();
        configuration.ApplyTo(options);

        Assert.Equal((ContainerRuntime.Podman, "/opt/podman/bin/podman", PullPolicy.Never), (options.Containers.Runtime, options.Containers.Path, options.Containers.Pull));
        Assert.Equal(options.Containers.Path, configuration.Settings.Containers.Path);
    }

    [Fact]
    public void NoContainersSection_LeavesWhatCSharpSet_AndTheDefaultIsAuto()
    {
        using var files = new ConfigFiles();
        var configuration = WeftConfiguration.Load(new WeftConfigurationRequest { WorkingDirectory = files.Directory, Environment = new Hashtable() });
        var options = new WeftOptions();
        Assert.Equal(ContainerRuntime.Auto, options.Containers.Runtime);
        options.Containers.Path = "/usr/bin/podman";

        configuration.ApplyTo(options);

        Assert.Equal("/usr/bin/podman", options.Containers.Path);
    }

    [Fact]
    public void BadRuntime_IsAnErrorNamingItsPlace()
    {
        using var files = new ConfigFiles();
        files.Write("weft.yaml", "containers:\n  runtime: lxc\n");

        var configuration = WeftConfiguration.Load(new WeftConfigurationRequest { WorkingDirectory = files.Directory, Environment = new Hashtable() });

        var error = Assert.Single(configuration.Errors);
        Assert.Contains("weft.yaml:2:12: containers.runtime: 'lxc' is not allowed; expected one of docker, podman, auto", error, StringComparison.Ordinal);
    }
}
