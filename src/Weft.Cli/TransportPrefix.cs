using System.CommandLine;
using Weft.Configuration;

namespace Weft.Cli;

/// <summary>The name prefix of a NATS transport (<see cref="Nats.NatsTransport.Prefix"/>), as <c>weft server</c>,
/// <c>weft worker</c> and <c>weft workers</c> take it: <c>--transport-prefix NAME</c>, else <c>WEFT_TRANSPORT_PREFIX</c>,
/// else <c>transport: prefix:</c> of the configuration. It remembers where it came from, for errors.</summary>
internal static class TransportPrefix
{
    public const string Variable = "WEFT_TRANSPORT_PREFIX";

    public static Option<string?> Option() => new("--transport-prefix")
    {
        Description = $"A name prefix for this cluster's streams, subjects and buckets on --transport, so clusters with different prefixes share one NATS server or account (letters, digits, '-' and '_'; the server and its workers need the same). Default: ${Variable}, else transport.prefix in the configuration, else none.",
        HelpName = "NAME",
    };

    /// <summary>The flag, else the variable, else the configuration; null when none names one.</summary>
    public static (string Value, string Source)? From(ParseResult result, Option<string?> option, WeftConfiguration configuration)
    {
        if (result.GetValue(option) is { } flag && !string.IsNullOrWhiteSpace(flag))
        {
            return (flag.Trim(), option.Name);
        }

        if (Environment.GetEnvironmentVariable(Variable) is { } variable && !string.IsNullOrWhiteSpace(variable))
        {
            return (variable.Trim(), Variable);
        }

        return configuration.Settings.Transport.Prefix is { } configured && !string.IsNullOrWhiteSpace(configured)
            ? (configured.Trim(), configuration.FilePath is { } at ? $"{Path.GetFileName(at)}: transport.prefix" : "transport.prefix")
            : null;
    }

    /// <summary>Only the flag (weft bench reads its command line only).</summary>
    public static (string Value, string Source)? FromFlag(ParseResult result, Option<string?> option) =>
        result.GetValue(option) is { } flag && !string.IsNullOrWhiteSpace(flag) ? (flag.Trim(), option.Name) : null;
}
