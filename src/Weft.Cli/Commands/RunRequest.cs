namespace Weft.Cli.Commands;

/// <summary>What <c>weft run</c> was asked to do, as parsed from the command line.</summary>
internal sealed record RunRequest(string? File)
{
    public const int DefaultWorkers = 16;

    /// <summary>Raw <c>-p name=value</c> arguments, in order; <see cref="ParameterParser"/> checks them.</summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];

    public int Workers { get; init; } = DefaultWorkers;

    /// <summary><c>--store</c> as given; null means <c>WEFT_STORE</c>, else the default SQLite file.</summary>
    public string? Store { get; init; }

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>weft.yaml and WEFT__ variables (with <c>--workers</c> when typed), applied to the engine.</summary>
    public Configuration.WeftConfiguration? Configuration { get; init; }

    /// <summary><c>--resume ID</c>: continue an unfinished run instead of starting one from FILE.</summary>
    public string? Resume { get; init; }

    /// <summary><c>--at TIME</c>: do not start before this time.</summary>
    public DateTimeOffset? NotBefore { get; init; }
}
