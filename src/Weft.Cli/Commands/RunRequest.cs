namespace Weft.Cli.Commands;

/// <summary>What <c>weft run</c> was asked to do, as parsed from the command line.</summary>
internal sealed record RunRequest(string File)
{
    public const int DefaultWorkers = 16;

    /// <summary>Raw <c>-p name=value</c> arguments, in order; <see cref="ParameterParser"/> checks them.</summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];

    public int Workers { get; init; } = DefaultWorkers;

    public string Store { get; init; } = StoreChoice.Default;

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];
}
