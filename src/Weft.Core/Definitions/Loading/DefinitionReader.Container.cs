using System.Globalization;
using Weft.Configuration;

namespace Weft.Definitions.Loading;

/// <summary>Reading a <c>container:</c> task.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] ContainerFields = ["image", "command", "env", "volumes", "workdir", "user", "network", "memory", "cpus", "pull", "keep"];

    private static readonly (string Name, PullPolicy Value)[] PullPolicies =
        [("missing", PullPolicy.Missing), ("always", PullPolicy.Always), ("never", PullPolicy.Never)];

    private ContainerSpec? ReadContainer(int index, DocNode value, string ctx)
    {
        if (value is not DocMapping map)
        {
            Error(value.Location, $"'container' {ctx} must be a mapping with {Names.List(ContainerFields)}, not {value.Describe}");
            return null;
        }

        var f = Fields(map, $"of 'container' {ctx}", ContainerFields);
        if (!f.TryGetValue("image", out var i))
        {
            Error(map.Location, $"'container' {ctx} has no 'image'");
            return null;
        }

        AddPlace(index, "container.image", i.Value);
        var image = Text(i.Value, $"'image' {ctx}");
        var spec = new ContainerSpec(image ?? string.Empty)
        {
            Env = f.TryGetValue("env", out var e) ? TextMap(index, "container.env", e.Value, $"'env' {ctx}") : null,
            Volumes = f.TryGetValue("volumes", out var v) ? TextList(index, "container.volumes", v.Value, $"'volumes' {ctx}") : null,
            WorkDir = PlacedText(index, f, "workdir", ctx),
            User = PlacedText(index, f, "user", ctx),
            Network = PlacedText(index, f, "network", ctx),
            Memory = f.TryGetValue("memory", out var m) ? ContainerMemory(m.Value, ctx) : null,
            Cpus = f.TryGetValue("cpus", out var c) ? ContainerCpus(c.Value, ctx) : null,
            Pull = f.TryGetValue("pull", out var p) ? Enum(p.Value, "pull policy", ctx, PullPolicies) : null,
            Keep = f.TryGetValue("keep", out var k) && Bool(k.Value, $"'keep' {ctx}") == true,
        };
        if (f.TryGetValue("command", out var command))
        {
            // A list is the argument vector; a string is run by the image's shell.
            spec = command.Value is DocSequence
                ? spec with { Command = TextList(index, "container.command", command.Value, $"'command' {ctx}") }
                : spec with { Script = PlacedText(index, f, "command", ctx) };
        }

        return image is null ? null : spec;
    }

    private string? PlacedText(int index, Dictionary<string, DocEntry> fields, string name, string ctx)
    {
        if (!fields.TryGetValue(name, out var entry))
        {
            return null;
        }

        AddPlace(index, "container." + name, entry.Value);
        return Text(entry.Value, $"'{name}' {ctx}");
    }

    private long? ContainerMemory(DocNode node, string ctx)
    {
        if (Text(node, $"'memory' {ctx}") is not { } text)
        {
            return null;
        }

        // Below 6 MB neither docker nor podman starts a container; say so here, not at run time.
        if (!ResourceSizes.TryParse(text, out var bytes) || bytes is < 6 * 1024 * 1024 or > long.MaxValue / 2)
        {
            Error(node.Location, $"bad memory '{text}' {ctx}; expected a size of at least 6MiB such as 512Mi, 512MB or 2GiB");
            return null;
        }

        return (long)bytes;
    }

    private double? ContainerCpus(DocNode node, string ctx)
    {
        if (Number(node, $"'cpus' {ctx}") is not { } cpus)
        {
            return null;
        }

        if (cpus is <= 0 or > 4096 || !double.IsFinite(cpus))
        {
            Error(node.Location, $"'cpus' {ctx} must be more than 0 and at most 4096, not {cpus.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return cpus;
    }
}
