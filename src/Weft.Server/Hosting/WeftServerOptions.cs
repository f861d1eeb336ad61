namespace Weft.Server;

/// <summary>Options of the Weft server and of <c>AddWeft</c>,
/// bound from the <c>Weft:</c> configuration section. Checked once, at start, every error together.</summary>
public sealed class WeftServerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Weft";

    private int? _workers;

    /// <summary>Worker slots of the hosted engine: a fixed pool of this size. Default 16 with
    /// <c>AddWeft(o =&gt; …)</c>; with <c>AddWeft(weft =&gt; …)</c>, unset leaves the engine's pool
    /// (<see cref="WeftOptions.Pool"/>) as configured.</summary>
    public int Workers
    {
        get => _workers ?? 16;
        set => _workers = value;
    }

    /// <summary>True when <see cref="Workers"/> was set (in code or configuration).</summary>
    internal bool WorkersSet => _workers is not null;

    /// <summary>The API token that mutations must carry as <c>Authorization: Bearer TOKEN</c>. Default
    /// null: no token, allowed only when the server listens on loopback (or <see cref="Insecure"/>).</summary>
    public string? Token { get; set; }

    /// <summary>Allows listening on a non-loopback address without a token. Default false.</summary>
    public bool Insecure { get; set; }

    /// <summary>Host names (the request's <c>Host</c> header, without port) a server without a token
    /// answers to besides <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c>: a name such as
    /// <c>weft.internal</c>, <c>*.example.com</c> for its subdomains, or <c>*</c> for any. Every other
    /// name gets 421, which stops DNS-rebinding pages from reaching the API through the user's browser.
    /// With <see cref="Insecure"/>, IP addresses are accepted too. Ignored when a token is set.</summary>
    public IList<string> AllowedHosts { get; set; } = [];

    /// <summary>Refuses every mutation (submit, cancel, retry, pause, resume, schedules). Default false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>How long a dedup key keeps pointing at the run it started (the engine's
    /// <see cref="WeftOptions.DedupWindow"/>). Default 60 s.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A schedule tick older than this when the runner sees it counts as missed (for
    /// <c>catchUp</c>). Default 1 minute.</summary>
    public TimeSpan ScheduleGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The engine runs the schedules of registered workflows (<see cref="Registry.ScheduleOptions.Enabled"/>). Default true.</summary>
    public bool EnableSchedules { get; set; } = true;

    /// <summary>On shutdown, how long running tasks get to finish before they are cancelled and recorded
    /// as interrupted (their runs stay unfinished, to resume). Default 30 s. The host's own
    /// <c>HostOptions.ShutdownTimeout</c> (default 30 s) ends the drain early when it is shorter.</summary>
    public TimeSpan ShutdownDrain { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Further engine settings, applied last (tests set the resource monitor's thresholds).</summary>
    internal Action<WeftOptions>? ConfigureEngine { get; set; }

    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Workers is < 1 or > 4096)
        {
            errors.Add($"Weft:Workers must be between 1 and 4096 (was {Workers})");
        }

        if (Token is { Length: < 8 })
        {
            errors.Add("Weft:Token must be at least 8 characters long");
        }

        if (DedupWindow <= TimeSpan.Zero)
        {
            errors.Add($"Weft:DedupWindow must be positive (was {DedupWindow})");
        }

        if (ScheduleGrace <= TimeSpan.Zero)
        {
            errors.Add($"Weft:ScheduleGrace must be positive (was {ScheduleGrace})");
        }

        if (ShutdownDrain < TimeSpan.Zero)
        {
            errors.Add($"Weft:ShutdownDrain must not be negative (was {ShutdownDrain})");
        }

        errors.AddRange(Security.HostCheck.Validate(AllowedHosts));
        return errors;
    }
}
