using Weft.Configuration;
using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>Reading <c>container:</c> tasks: every field, the resources its limits reserve, the
/// stored form, and each mistake at its file:line:col.</summary>
public sealed class ContainerDefinitionTests
{
    [Fact]
    public void Parse_EveryField_IsRead()
    {
        var task = WorkflowLoader.Parse(Loading.Text("""
            name: build
            tasks:
              build:
                container:
                  image: registry.example.com/team/builder:1.4
                  command: ["make", "{{ params.target }}"]
                  env: { TARGET: "{{ params.target }}" }
                  volumes: ["{{ params.src }}:/src:ro"]
                  workdir: /src
                  user: "1000:1000"
                  network: none
                  memory: 512Mi
                  cpus: 1.5
                  pull: always
                  keep: true
            params: { target: release, src: /tmp }
            """), "flow.yaml").Tasks[0];

        var spec = Assert.IsType<ContainerSpec>(task.Spec);
        Assert.Equal("registry.example.com/team/builder:1.4", spec.Image);
        Assert.Equal(["make", "{{ params.target }}"], spec.Command);
        Assert.Null(spec.Script);
        Assert.Equal("{{ params.target }}", spec.Env!["TARGET"]);
        Assert.Equal(["{{ params.src }}:/src:ro"], spec.Volumes);
        Assert.Equal(("/src", "1000:1000", "none"), (spec.WorkDir, spec.User, spec.Network));
        Assert.Equal(512L * 1024 * 1024, spec.Memory);
        Assert.Equal(1.5, spec.Cpus);
        Assert.Equal(PullPolicy.Always, spec.Pull);
        Assert.True(spec.Keep);
    }

    [Fact]
    public void Parse_CommandAsText_IsRunByTheImagesShell()
    {
        var spec = (ContainerSpec)WorkflowLoader.Parse("name: w\ntasks:\n  t:\n    container: { image: alpine, command: 'echo \"$HOME\"' }\n", "flow.yaml").Tasks[0].Spec;

        Assert.Equal("echo \"$HOME\"", spec.Script);
        Assert.Null(spec.Command);
        Assert.Null(spec.Pull);
    }

    [Fact]
    public void Resources_AreTheLimits_WhenTheTaskDeclaresNone_AndTheDeclaredOnesOtherwise()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: w
            tasks:
              limited: { container: { image: alpine, memory: 1GiB, cpus: 2 } }
              declared: { container: { image: alpine, memory: 1GiB, cpus: 2 }, resources: { cpu: 0.5 } }
              unlimited: { container: { image: alpine } }
            """), "flow.yaml");

        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 2, ["memory"] = 1024d * 1024 * 1024 }, definition.Tasks[0].Resources);
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 0.5 }, definition.Tasks[1].Resources);
        Assert.Empty(definition.Tasks[2].Resources);
    }

    [Fact]
    public void DefinitionJson_RoundTrips_WithoutWritingTheDerivedResources()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: w
            tasks:
              a:
                container: { image: alpine, command: [echo, hi], env: { A: b }, volumes: ["/x:/y"], workdir: /y, user: "1", network: host, memory: 64Mi, cpus: 0.5, pull: never, keep: true }
              b:
                container: { image: alpine, command: "echo hi" }
            """), "flow.yaml");

        var json = DefinitionJson.Write(definition);
        var back = WorkflowLoader.Parse(json, "stored.json");

        Assert.DoesNotContain("resources", json, StringComparison.Ordinal);
        Assert.Equal(definition.Tasks.Select(t => t.Spec), back.Tasks.Select(t => t.Spec), new SpecComparer());
        Assert.Equal(definition.Tasks[0].Resources, back.Tasks[0].Resources);
    }

    [Theory]
    [InlineData("container: alpine", 4, 16, "'container' in task 't' must be a mapping with image, command, env, volumes, workdir, user, network, memory, cpus, pull and keep, not text")]
    [InlineData("container: { command: [x] }", 4, 16, "'container' in task 't' has no 'image'")]
    [InlineData("container: { image: alpine, memory: lots }", 4, 41, "bad memory 'lots' in task 't'; expected a size of at least 6MiB such as 512Mi, 512MB or 2GiB")]
    [InlineData("container: { image: alpine, memory: 1k }", 4, 41, "bad memory '1k' in task 't'; expected a size of at least 6MiB such as 512Mi, 512MB or 2GiB")]
    [InlineData("container: { image: alpine, cpus: 0 }", 4, 39, "'cpus' in task 't' must be more than 0 and at most 4096, not 0")]
    [InlineData("container: { image: alpine, cpus: many }", 4, 39, "'cpus' in task 't' must be a number, not 'many'")]
    [InlineData("container: { image: alpine, pull: sometimes }", 4, 39, "bad pull policy 'sometimes' in task 't'; expected one of: missing, always, never")]
    [InlineData("container: { image: alpine, keep: yes please }", 4, 39, "'keep' in task 't' must be true or false, not 'yes please'")]
    [InlineData("container: { image: alpine, ports: [80] }", 4, 33, "unknown field 'ports' of 'container' in task 't'")]
    [InlineData("container: { image: --privileged }", 4, 25, "the image of task 't' must be an image reference such as alpine:3.20, not '--privileged'")]
    [InlineData("container: { image: alpine, network: 'my net' }", 4, 42, "the network of task 't' must be none, bridge, host or a network's name (letters, digits, '_', '.', '-'), not 'my net'")]
    [InlineData("container: { image: alpine, env: { WEFT_V0: x } }", 4, 49, "'env' in task 't' has a name starting with 'WEFT_V', which weft uses to pass template values: 'WEFT_V0'; an environment variable name is letters, digits and '_'")]
    public void Parse_Mistake_IsReportedAtItsPlace(string task, int line, int column, string message)
    {
        var error = Loading.Single($"name: w\ntasks:\n  t:\n    {task}\n", line, column);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void CommandString_WithASingleQuotedTemplate_IsWarnedAboutAsInShell()
    {
        WorkflowLoader.Parse(
            "name: w\nparams: { who: x }\ntasks:\n  t:\n    container: { image: alpine, command: \"echo '{{ params.who }}'\" }\n", "flow.yaml", null, out var warnings);

        var warning = Assert.Single(warnings);
        Assert.Equal(new SourceLocation("flow.yaml", 5, 49), warning.Location);
        Assert.StartsWith("warning: in task 't', {{ params.who }} is inside single quotes", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Example_Loads_AndValidates()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        var definition = WorkflowLoader.LoadFile(Path.Combine(dir!.FullName, "examples", "containers.yaml"), null, out var warnings);

        Assert.Empty(warnings);
        Assert.All(definition.Tasks, t => Assert.IsType<ContainerSpec>(t.Spec));
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 0.5, ["memory"] = 64d * 1024 * 1024 }, definition.Tasks[0].Resources);
    }

    private sealed class SpecComparer : IEqualityComparer<TaskSpec>
    {
        public bool Equals(TaskSpec? x, TaskSpec? y) =>
            x is ContainerSpec a && y is ContainerSpec b
                ? a with { Command = null, Env = null, Volumes = null } == b with { Command = null, Env = null, Volumes = null } &&
                  (a.Command ?? []).SequenceEqual(b.Command ?? []) && (a.Volumes ?? []).SequenceEqual(b.Volumes ?? []) &&
                  (a.Env ?? new Dictionary<string, string>()).OrderBy(p => p.Key).SequenceEqual((b.Env ?? new Dictionary<string, string>()).OrderBy(p => p.Key))
                : Equals(x, y);

        public int GetHashCode(TaskSpec obj) => 0;
    }
}
