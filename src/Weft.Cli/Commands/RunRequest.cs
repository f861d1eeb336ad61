using System.Security.Cryptography;
using System.Text;
using Weft.Definitions;

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

    /// <summary><c>plugins:</c> of the configuration, then <c>--plugin</c>: assemblies adding task kinds and functions.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>weft.yaml and WEFT__ variables (with <c>--workers</c> when typed), applied to the engine.</summary>
    public Configuration.WeftConfiguration? Configuration { get; init; }

    /// <summary><c>--resume ID</c>: continue an unfinished run instead of starting one from FILE.</summary>
    public string? Resume { get; init; }

    /// <summary><c>--at TIME</c>: do not start before this time.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary><c>--priority LEVEL</c>: every task of the run at this priority; null keeps each task's own.</summary>
    public TaskPriority? Priority { get; init; }

    /// <summary><c>--dedup-key KEY</c>: a second submission with the key reports the first run.</summary>
    public string? DedupKey { get; init; }

    /// <summary>The submission's options; a dedup key fixes the run id (<see cref="RunIdForDedupKey"/>).</summary>
    public SubmitOptions SubmitOptions() => new()
    {
        NotBefore = NotBefore,
        Priority = Priority,
        DedupKey = DedupKey,
        RunId = DedupKey is { } key ? RunIdForDedupKey(key) : null,
        TriggeredBy = CliOrigin.Name,
    };

    /// <summary>The server's limit (POST /api/runs refuses longer keys).</summary>
    public const int MaxDedupKeyLength = 200;

    public static readonly string[] PriorityNames = ["critical", "high", "normal", "low"];

    public static TaskPriority? ParsePriority(string? name) =>
        name is null ? null : Enum.Parse<TaskPriority>(name, ignoreCase: true);

    /// <summary>The run id a local store records a run with <paramref name="key"/> under: the same key
    /// gives the same id, so the store itself refuses the second run (as a schedule's ticks do).</summary>
    public static string RunIdForDedupKey(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("weft-run-dedup:" + key)))[..32];
}
