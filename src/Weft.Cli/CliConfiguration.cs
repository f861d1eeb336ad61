using System.CommandLine;
using Weft.Configuration;

namespace Weft.Cli;

/// <summary>The <c>--config PATH</c> option every command takes, and loading the configuration for a
/// command: the file, <c>WEFT__…</c> variables and the flags the user typed, errors written as
/// <c>error: PLACE: key: …</c>.</summary>
internal static class CliConfiguration
{
    public const string OptionName = "--config";

    public static Option<string?> CreateOption() => new(OptionName)
    {
        Description = $"A configuration file (weft.yaml or weft.json). Default: ${WeftConfiguration.FileVariable}, else weft.yaml, weft.yml or weft.json here.",
        HelpName = "PATH",
        Recursive = true,
    };

    /// <summary>The configuration, or null with every error written (the command then exits 2).</summary>
    public static WeftConfiguration? Load(ParseResult result, TextWriter error, params IEnumerable<ConfigFlag?> flags)
    {
        var configuration = WeftConfiguration.Load(new WeftConfigurationRequest
        {
            ConfigPath = result.GetValue<string?>(OptionName),
            Flags = [.. flags.OfType<ConfigFlag>()],
        });
        foreach (var message in configuration.Errors)
        {
            error.WriteLine($"error: {message}");
        }

        return configuration.IsValid ? configuration : null;
    }

    /// <summary>A flag's value as a configuration layer entry, when the user typed the flag (a flag's own
    /// default must not hide the file's value).</summary>
    public static ConfigFlag? Flag<T>(ParseResult result, Option<T> option, string key) =>
        result.GetResult(option) is { Implicit: false } && result.GetValue(option) is { } value
            ? new ConfigFlag(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", option.Name)
            : null;

    /// <summary>The store to open: <c>--store</c>, else <c>WEFT_STORE</c>, else the file's <c>store:</c>
    /// (null lets <see cref="StoreChoice"/> take its default).</summary>
    public static string? Store(string? flag, WeftConfiguration configuration) =>
        flag ?? (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(StoreChoice.Variable)) ? configuration.Settings.Store : null);

    /// <summary>The transport to use: <c>--transport</c>, else <c>WEFT_TRANSPORT</c>, else the file's
    /// <c>transport:</c> (kind nats with its url); null for the store's own.</summary>
    public static string? Transport(string? flag, WeftConfiguration configuration) =>
        flag ?? (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TransportChoice.Variable)) ? configuration.Settings.Transport.NatsUrl : null);

    /// <summary><c>plugins:</c> with relative paths taken from the configuration file's folder.</summary>
    public static IReadOnlyList<string> Plugins(WeftConfiguration configuration)
    {
        var folder = configuration.FilePath is { } file ? Path.GetDirectoryName(Path.GetFullPath(file))! : Directory.GetCurrentDirectory();
        return [.. configuration.Settings.Plugins.Select(p => Path.IsPathRooted(p) ? p : Path.Combine(folder, p))];
    }
}
