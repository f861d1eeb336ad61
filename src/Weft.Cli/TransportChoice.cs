namespace Weft.Cli;

/// <summary>Which transport <c>--transport</c> (or <c>WEFT_TRANSPORT</c>) names: none (tasks run on the
/// server's slots, or the PostgreSQL queue), or a NATS JetStream server, <c>nats://[user:pass@]host:port</c>
/// (<c>tls://</c> for TLS). Credentials in the URL are never printed (<see cref="Describe"/>).</summary>
internal sealed record TransportChoice(string Url)
{
    public const string Variable = "WEFT_TRANSPORT";

    public string Describe() => Nats.NatsSetup.Redact(Url);

    /// <summary>Null with no error when neither the option nor the variable names one.</summary>
    public static TransportChoice? TryParse(string? value, out string? error)
    {
        error = null;
        var text = value ?? Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var source = value is null ? Variable : "--transport";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls") || string.IsNullOrEmpty(uri.Host))
        {
            var shown = Uri.TryCreate(text.Trim(), UriKind.Absolute, out _) ? Nats.NatsSetup.Redact(text.Trim()) : text.Trim();
            error = $"{source}: '{shown}' is not a NATS server URL; expected nats://host:4222 (or tls://host:4222)";
            return null;
        }

        return new TransportChoice(text.Trim());
    }
}
