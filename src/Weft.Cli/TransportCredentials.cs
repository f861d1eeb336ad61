using System.CommandLine;
using Weft.Configuration;

namespace Weft.Cli;

/// <summary>The credential files of a NATS transport, as <c>weft server</c> and <c>weft worker</c> take them:
/// <c>--transport-creds FILE</c> (a creds file, JWT and seed) or <c>--transport-nkey FILE</c> (an nkey user
/// seed), else <c>WEFT_TRANSPORT_CREDS</c> / <c>WEFT_TRANSPORT_NKEY</c>, else <c>transport: creds:</c> /
/// <c>nkey:</c> of the configuration (relative to its file). Each remembers where it came from, for errors.</summary>
internal sealed record TransportCredentials((string Path, string Source)? Creds, (string Path, string Source)? NKey)
{
    public const string CredsVariable = "WEFT_TRANSPORT_CREDS";
    public const string NKeyVariable = "WEFT_TRANSPORT_NKEY";

    public static readonly TransportCredentials None = new(null, null);

    public (string Path, string Source)? First => Creds ?? NKey;

    public static Option<string?> CredsOption() => new("--transport-creds")
    {
        Description = $"A NATS creds file (user JWT and seed) to connect to --transport with. Default: ${CredsVariable}, else transport.creds in the configuration.",
        HelpName = "FILE",
    };

    public static Option<string?> NKeyOption() => new("--transport-nkey")
    {
        Description = $"A file with a NATS nkey user seed (SU…) to connect to --transport with. Default: ${NKeyVariable}, else transport.nkey in the configuration.",
        HelpName = "FILE",
    };

    /// <summary>The files named by the flags, else the variables, else the configuration.</summary>
    public static TransportCredentials From(ParseResult result, Option<string?> creds, Option<string?> nkey, WeftConfiguration configuration)
    {
        var section = configuration.Settings.Transport;
        return new(
            Pick(result.GetValue(creds), creds.Name, CredsVariable, section.Creds, "transport.creds", configuration),
            Pick(result.GetValue(nkey), nkey.Name, NKeyVariable, section.Nkey, "transport.nkey", configuration));
    }

    private static (string, string)? Pick(string? flag, string option, string variable, string? configured, string key, WeftConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return (flag.Trim(), option);
        }

        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
        {
            return (fromEnvironment.Trim(), variable);
        }

        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        // As plugins: a relative path is the configuration file's neighbour, wherever weft runs.
        var folder = configuration.FilePath is { } file ? Path.GetDirectoryName(Path.GetFullPath(file))! : Directory.GetCurrentDirectory();
        var path = configured.Trim();
        return (Path.IsPathRooted(path) ? path : Path.Combine(folder, path), configuration.FilePath is { } at ? $"{Path.GetFileName(at)}: {key}" : key);
    }
}
