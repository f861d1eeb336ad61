using System.Globalization;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Handlers.Containers;

/// <summary>A <see cref="ContainerSpec"/> rendered with an attempt's template values: the image, the
/// <c>run</c> arguments, and the variables the container gets. Every rendered value is one argument
/// (<c>--volume=VALUE</c>) or one variable; the only text a shell parses is a <c>command:</c> string,
/// whose templates become <c>${WEFT_Vn}</c> references, as in <c>shell:</c>.</summary>
internal sealed class ContainerRun
{
    private readonly List<string> _options = [];
    private readonly List<string> _command = [];

    private ContainerRun(string image) => Image = image;

    public string Image { get; }

    /// <summary>Why the rendered values cannot run (a value that reads as an option), or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>Variables set in the container; passed to the runtime command's own environment.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="TemplateResolutionException"/> when a value cannot be resolved.</summary>
    public static ContainerRun Render(ContainerSpec spec, TaskInvocation invocation)
    {
        var run = new ContainerRun(invocation.Render(spec.Image).Trim());
        if (run.Image.Length == 0 || run.Image.StartsWith('-') || run.Image.Any(char.IsWhiteSpace))
        {
            run.Problem = $"the image must be an image reference such as alpine:3.20, not '{run.Image}'";
            return run;
        }

        foreach (var (name, value) in spec.Env ?? new Dictionary<string, string>())
        {
            run.Environment[name] = invocation.Render(value);
        }

        if (spec.Script is { } script)
        {
            // Parsed by the image's shell: template values go in through variables, never into the code.
            run._command.AddRange(["/bin/sh", "-c", ShellCommandRewriter.Rewrite(script, invocation.Values, run.Environment)]);
        }
        else
        {
            run._command.AddRange(spec.Command?.Select(invocation.Render) ?? []);
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            run._options.Add("--volume=" + invocation.Render(volume));
        }

        run.Option("--workdir=", spec.WorkDir, invocation);
        run.Option("--user=", spec.User, invocation);
        run.Option("--network=", spec.Network, invocation);
        if (spec.Memory is { } memory)
        {
            run._options.Add("--memory=" + memory.ToString(CultureInfo.InvariantCulture));
        }

        if (spec.Cpus is { } cpus)
        {
            run._options.Add("--cpus=" + cpus.ToString(CultureInfo.InvariantCulture));
        }

        return run;
    }

    /// <summary>The arguments of <c>run</c>, attached (no <c>-d</c>), with no stdin and no terminal.</summary>
    public IEnumerable<string> Arguments(string name, bool keep, TaskInvocation invocation)
    {
        yield return "run";
        yield return "--name=" + name;
        yield return "--label=weft.key=" + ContainerNames.Key(invocation.RunId, invocation.TaskId);
        yield return "--label=weft.run=" + invocation.RunId;
        yield return "--label=weft.task=" + invocation.TaskId;
        yield return "--label=weft.attempt=" + invocation.Attempt.ToString(CultureInfo.InvariantCulture);

        // The image is here already (ContainerHandler pulled it as the policy says); a second check by the
        // runtime could only pull behind the policy's back.
        yield return "--pull=never";
        if (!keep)
        {
            yield return "--rm";
        }

        foreach (var variable in Environment.Keys.Order(StringComparer.Ordinal))
        {
            yield return "--env=" + variable;
        }

        foreach (var option in _options)
        {
            yield return option;
        }

        yield return Image;
        foreach (var argument in _command)
        {
            yield return argument;
        }
    }

    private void Option(string flag, string? value, TaskInvocation invocation)
    {
        if (value is not null)
        {
            _options.Add(flag + invocation.Render(value));
        }
    }
}
