using System.Collections;

namespace Weft.Configuration;

/// <summary>Where <see cref="WeftConfiguration.Load"/> looks: the file (<c>--config</c>, else
/// <c>WEFT_CONFIG</c>, else <c>weft.yaml</c>/<c>weft.yml</c>/<c>weft.json</c> in
/// <see cref="WorkingDirectory"/>), the environment and the flags the user typed.</summary>
public sealed class WeftConfigurationRequest
{
    /// <summary><c>--config PATH</c>; it must exist.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Where <c>weft.yaml</c> is looked for when no file is named. Default: the current directory.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The environment (<c>WEFT_CONFIG</c>, <c>WEFT__…</c>). Default: the process's.</summary>
    public IDictionary Environment { get; init; } = System.Environment.GetEnvironmentVariables();

    /// <summary>The flags the user typed (only those: a flag's own default never hides the file).</summary>
    public IReadOnlyList<ConfigFlag> Flags { get; init; } = [];
}
