using System.CommandLine;

namespace Weft.Cli.Plugins;

/// <summary><c>--plugin PATH.dll</c>, the same on run, server, worker and validate.</summary>
internal static class PluginOption
{
    public static Option<string[]> Create() => new("--plugin")
    {
        Description = "A .NET assembly whose ITaskHandler types add task kinds (and whose [WeftFunction] methods add functions), loaded in a context of its own; repeat for more. Also plugins: in the configuration.",
        HelpName = "PATH.dll",
    };

    /// <summary>The configuration's <c>plugins:</c>, then the flags.</summary>
    public static IReadOnlyList<string> Paths(System.CommandLine.ParseResult result, Option<string[]> option, Configuration.WeftConfiguration? configuration) =>
        [.. configuration is null ? [] : CliConfiguration.Plugins(configuration), .. result.GetValue(option) ?? []];
}
