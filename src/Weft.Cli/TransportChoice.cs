namespace Weft.Cli;

/// <summary>Which transport <c>--transport</c> (or <c>WEFT_TRANSPORT</c>) names: none (tasks run on the
/// server's slots, or the PostgreSQL queue), or a NATS JetStream server, <c>nats://[user:pass@]host:port</c>
/// or <c>nats://token@host:port</c> (<c>tls://</c> for TLS), with at most one of a creds file or an nkey
/// seed file (<see cref="TransportCredentials"/>), and a name prefix (<see cref="TransportPrefix"/>). Credentials are
/// never printed (<see cref="Describe"/>).</summary>
internal sealed record TransportChoice(string Url)
{
    public const string Variable = "WEFT_TRANSPORT";

    public string? CredsFile { get; init; }

    public string? NKeySeedFile { get; init; }

    /// <summary>The names' prefix (<see cref="Nats.NatsTransport.Prefix"/>); empty for none.</summary>
    public string Prefix { get; init; } = "";

    public string Describe() => Nats.NatsSetup.Redact(Url);

    /// <summary>As <see cref="Describe"/>, with the prefix when there is one: what a start-up line names.</summary>
    public string DescribeWithPrefix() => Prefix.Length == 0 ? Describe() : $"{Describe()} (prefix {Prefix})";

    /// <summary>The library's transport, with the credentials this choice names.</summary>
    public Nats.NatsTransport ToTransport() => new(Url) { CredsFile = CredsFile, NKeySeedFile = NKeySeedFile, Prefix = Prefix };

    /// <summary>Null with no error when neither the option nor the variable names one.</summary>
    public static TransportChoice? TryParse(string? value, out string? error) =>
        TryParse(value, TransportCredentials.None, null, out error);

    /// <summary>As <see cref="TryParse(string?, out string?)"/>, with the credential files and the name prefix the
    /// options, variables or configuration name; an error names the option, variable or key at fault.</summary>
    public static TransportChoice? TryParse(string? value, TransportCredentials credentials, (string Value, string Source)? prefix, out string? error)
    {
        error = null;
        var text = value ?? Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (credentials.First is { } orphan)
            {
                error = $"{orphan.Source}: credentials for a NATS transport, but no transport is given (--transport nats://host:4222, ${Variable} or transport: in the configuration)";
            }
            else if (prefix is { } lone)
            {
                error = $"{lone.Source}: a name prefix for a NATS transport, but no transport is given (--transport nats://host:4222, ${Variable} or transport: in the configuration)";
            }

            return null;
        }

        var source = value is null ? Variable : "--transport";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls") || string.IsNullOrEmpty(uri.Host))
        {
            var shown = Uri.TryCreate(text.Trim(), UriKind.Absolute, out _) ? Nats.NatsSetup.Redact(text.Trim()) : text.Trim();
            error = $"{source}: '{shown}' is not a NATS server URL; expected nats://host:4222 (or tls://host:4222)";
            return null;
        }

        if (credentials.Creds is { } creds && credentials.NKey is { } nkey)
        {
            error = $"{creds.Source} and {nkey.Source}: a NATS client connects with one of a creds file or an nkey seed file, not both";
            return null;
        }

        if (credentials.First is { } file && uri.UserInfo.Length > 0)
        {
            error = $"{file.Source}: {source} already carries credentials (user and password, or a token); give one or the other";
            return null;
        }

        if (prefix is { } named && Nats.NatsNames.ProblemWith(named.Value) is { } problem)
        {
            error = $"{named.Source}: {problem}";
            return null;
        }

        var choice = new TransportChoice(text.Trim()) { CredsFile = credentials.Creds?.Path, NKeySeedFile = credentials.NKey?.Path, Prefix = prefix?.Value ?? "" };
        try
        {
            // Reads the file now: an unusable one is an input error before anything starts.
            Nats.NatsCredentials.AuthOf(choice.ToTransport());
        }
        catch (WeftConfigurationException ex)
        {
            error = $"{credentials.First!.Value.Source}: {ex.Message}";
            return null;
        }

        return choice;
    }
}
