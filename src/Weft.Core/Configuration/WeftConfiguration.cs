using Microsoft.Extensions.Configuration;
using Weft.Definitions;

namespace Weft.Configuration;

/// <summary>The configuration of a <c>weft</c> process: <c>weft.yaml</c> (or <c>weft.json</c>), then
/// <c>WEFT__…</c> variables, then flags, each layer winning over the one before and all over the
/// options' defaults, bound by Microsoft.Extensions.Configuration onto <see cref="WeftOptions"/> and
/// <see cref="WeftSettings"/>. Every error names where the value was set and what is allowed.</summary>
public sealed class WeftConfiguration
{
    /// <summary>The environment variable naming the configuration file.</summary>
    public const string FileVariable = "WEFT_CONFIG";

    /// <summary>Looked for in the working directory, in this order, when neither <c>--config</c> nor
    /// <c>WEFT_CONFIG</c> names a file.</summary>
    public static readonly IReadOnlyList<string> FileNames = ["weft.yaml", "weft.yml", "weft.json"];

    private const int MaxFileBytes = 1024 * 1024;

    private readonly List<ConfigLayer> _layers;
    private readonly Dictionary<string, string> _engine = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RateLimit> _rateLimits = new(StringComparer.Ordinal);

    private WeftConfiguration(List<ConfigLayer> layers, string? filePath, List<string> errors)
    {
        _layers = layers;
        FilePath = filePath;
        var builder = new ConfigurationBuilder();
        foreach (var layer in layers)
        {
            builder.Add(layer);
        }

        Root = builder.Build();
        Errors = errors;
    }

    /// <summary>The file read, or null when there is none.</summary>
    public string? FilePath { get; }

    /// <summary>Every layer merged (later layers win), for code that reads keys itself.</summary>
    public IConfigurationRoot Root { get; }

    /// <summary>Every problem, each as <c>PLACE: path: what is wrong and what is allowed</c>; empty when valid.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>True when the configuration has no errors.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The sections beside the engine's options (server, store, plugins, …), bound.</summary>
    public WeftSettings Settings { get; } = new();

    /// <summary>Reads and checks the configuration; never throws for a user's mistake (see <see cref="Errors"/>).</summary>
    public static WeftConfiguration Load(WeftConfigurationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        var layers = new List<ConfigLayer>();
        var path = FindFile(request, errors);
        if (path is not null && ReadFile(path, errors) is { } file)
        {
            layers.Add(file);
        }

        layers.Add(new EnvironmentLayer(request.Environment));
        layers.Add(new FlagLayer(request.Flags));
        var configuration = new WeftConfiguration(layers, path, errors);
        if (errors.Count == 0)
        {
            configuration.Check(errors);
        }

        return configuration;
    }

    /// <summary>True when some layer sets <paramref name="key"/> (<c>Pool:MaxWorkers</c>).</summary>
    public bool Sets(string key) => _layers.Any(l => l.Has(key));

    /// <summary>Sets every configured engine option on <paramref name="options"/>; the ones not configured
    /// keep what the caller set. Setting the pool's size in any way replaces a size the caller set.</summary>
    public void ApplyTo(WeftOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsValid)
        {
            throw new WeftConfigurationException(Errors);
        }

        if (_engine.Keys.Any(IsPoolSize))
        {
            var defaults = new PoolOptions();
            options.Pool.MinWorkers = defaults.MinWorkers;
            options.Pool.MaxWorkers = defaults.MaxWorkers;
        }

        ConfigBinding.Bind(_engine, options);
        foreach (var (name, limit) in _rateLimits)
        {
            options.RateLimits[name] = limit;
        }

        if (_settings.Keys.Any(k => k.StartsWith(nameof(WeftSettings.Containers) + ":", StringComparison.OrdinalIgnoreCase)))
        {
            Settings.Containers.CopyTo(options.Containers);
        }
    }

    /// <summary>Binds a host's <c>Weft</c> section (ASP.NET Core configuration) onto
    /// <paramref name="options"/> with the same names and checks as the file; keys the engine does not
    /// know are left to the host (its own options read them). Returns the problems, each naming its key.</summary>
    public static IReadOnlyList<string> BindSection(IConfiguration section, WeftOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        var prefix = section is IConfigurationSection s ? s.Path + ":" : "";
        var data = section.AsEnumerable(makePathsRelative: true)
            .Where(p => p.Value is not null && ConfigSchema.Find(p.Key, out _, out _) is { IsSetting: false })
            .ToDictionary(p => p.Key, p => p.Value!, StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var host = new WeftConfiguration([new FlagLayer(data.Select(p => new ConfigFlag(p.Key, p.Value, prefix + p.Key)))], null, errors);
        host.Check(errors, unknownKeysAreErrors: false);
        if (errors.Count == 0)
        {
            host.ApplyTo(options);
        }

        return [.. errors.Select(e => e.Replace("flag ", "", StringComparison.Ordinal))];
    }

    /// <summary>Every option with its effective value (secrets masked) and where it came from.</summary>
    public IReadOnlyList<ConfigEntry> Describe()
    {
        var options = new WeftOptions();
        if (IsValid)
        {
            ApplyTo(options);
        }

        return ConfigDescription.Entries(options, Settings, key => Winner(key)?.Describe(key) ?? "default");
    }

    private static string? FindFile(WeftConfigurationRequest request, List<string> errors)
    {
        if (request.ConfigPath is { } given)
        {
            if (File.Exists(given))
            {
                return given;
            }

            errors.Add($"configuration file not found: {given} (--config)");
            return null;
        }

        if (request.Environment[FileVariable] is string { Length: > 0 } named)
        {
            if (File.Exists(named))
            {
                return named;
            }

            errors.Add($"configuration file not found: {named} ({FileVariable})");
            return null;
        }

        // Found in the process's own folder, the file is named as the user knows it: weft.yaml:3:5.
        var here = Path.GetFullPath(request.WorkingDirectory) == Path.GetFullPath(Directory.GetCurrentDirectory());
        return FileNames.Select(n => here ? n : Path.Combine(request.WorkingDirectory, n)).FirstOrDefault(File.Exists);
    }

    private static FileLayer? ReadFile(string path, List<string> errors)
    {
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                errors.Add($"{path}: a configuration file is at most {MaxFileBytes / 1024} KiB");
                return null;
            }

            return FileLayer.Read(path, File.ReadAllText(path), errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot read the configuration file: {e.Message}");
            return null;
        }
    }

    private ConfigLayer? Winner(string key) => _layers.LastOrDefault(l => l.Has(key));

    private string PlaceOf(string key, bool ofKey = false)
    {
        var layer = Winner(key);
        return layer?.Place(key, ofKey)?.ToString() ?? layer?.Describe(key) ?? "configuration";
    }

    /// <summary>Where a key is set; for a key that is missing (a required one), where its section's first
    /// key is, so the message still names the file and line to add it at.</summary>
    private string PlaceOfSection(string key)
    {
        if (Winner(key) is not null)
        {
            return PlaceOf(key);
        }

        var section = key.Contains(':', StringComparison.Ordinal) ? key[..(key.LastIndexOf(':') + 1)] : null;
        var sibling = section is null ? null : _layers.SelectMany(l => l.Keys).FirstOrDefault(k => k.StartsWith(section, StringComparison.OrdinalIgnoreCase));
        return sibling is null ? PlaceOf(key) : PlaceOf(sibling);
    }

    private void Check(List<string> errors, bool unknownKeysAreErrors = true)
    {
        foreach (var key in _layers.SelectMany(l => l.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase))
        {
            if (key.Equals("$schema", StringComparison.Ordinal))
            {
                continue; // names the JSON Schema for editors; nothing to configure
            }

            var node = ConfigSchema.Find(key, out var bad, out var parent);
            if (node is null)
            {
                if (unknownKeysAreErrors && !IsHostVariable(key))
                {
                    errors.Add($"{PlaceOf(key, ofKey: true)}: {UnknownKey(key, bad, parent)}");
                }

                continue;
            }

            var value = Winner(key)!.TryGet(key, out var v) ? v ?? "" : "";
            if (node.Kind != ConfigNodeKind.Value)
            {
                if (value.Length > 0)
                {
                    errors.Add($"{PlaceOf(key)}: {Display(key)}: is {Describe(node)}, not a single value");
                }

                continue;
            }

            if (ConfigScalars.Normalize(node.Type, value, out var allowed) is not { } normalized)
            {
                errors.Add($"{PlaceOf(key)}: {Display(key)}: '{value}' is not allowed; expected {allowed}");
                continue;
            }

            if (node.Type == typeof(RateLimit))
            {
                if (RateLimit.TryParse(normalized, out var limit))
                {
                    _rateLimits[key.Split(':')[^1]] = limit;
                }

                continue;
            }

            (node.IsSetting ? _settings : _engine)[key] = normalized;
        }

        ResolvePoolSize(errors);
        if (errors.Count > 0)
        {
            return;
        }

        var probe = new WeftOptions();
        ApplyTo(probe);
        ConfigBinding.Bind(_settings, Settings);
        foreach (var message in probe.Validate())
        {
            errors.Add(LocateEngineError(message));
        }

        foreach (var (path, message) in Settings.Validate())
        {
            errors.Add($"{PlaceOfSection(path)}: {Display(path)}: {message}");
        }
    }

    // `workers: N` is a fixed pool, pool.minWorkers/maxWorkers a scaling one: the layer that says it last
    // wins (a --workers flag over the file's pool), and one layer may not say both.
    private void ResolvePoolSize(List<string> errors)
    {
        var workersLayer = _layers.FindLastIndex(l => l.Has(nameof(WeftOptions.Workers)));
        var poolLayer = _layers.FindLastIndex(l => l.Keys.Any(IsPoolSize));
        if (workersLayer < 0 || poolLayer < 0)
        {
            return;
        }

        if (workersLayer == poolLayer)
        {
            errors.Add($"{PlaceOf(nameof(WeftOptions.Workers), ofKey: true)}: workers: a fixed pool (workers) and a scaling one (pool.minWorkers/maxWorkers) cannot both be set; keep one");
            return;
        }

        foreach (var key in workersLayer > poolLayer ? _engine.Keys.Where(IsPoolSize).ToList() : [nameof(WeftOptions.Workers)])
        {
            _engine.Remove(key);
        }
    }

    // WEFT__TOKEN, WEFT__ALLOWEDHOSTS__0…: `weft server` is an ASP.NET Core app, which has always read
    // these variables as Weft:Token etc. for its own options; they are its, not unknown keys.
    private bool IsHostVariable(string key) =>
        HostKeys.Contains(key.Split(':')[0]) && !_layers.Any(l => l is not EnvironmentLayer && l.Has(key));

    private static readonly HashSet<string> HostKeys = new(["Token", "Insecure", "AllowedHosts", "ReadOnly", "ScheduleGrace", "EnableSchedules", "ShutdownDrain"], StringComparer.OrdinalIgnoreCase);

    private static bool IsPoolSize(string key) =>
        key.Equals("Pool:MinWorkers", StringComparison.OrdinalIgnoreCase) || key.Equals("Pool:MaxWorkers", StringComparison.OrdinalIgnoreCase);

    // WeftOptions.Validate says "Pool.MaxWorkers must be …": its first word is the option's path.
    private string LocateEngineError(string message)
    {
        var end = message.IndexOfAny([' ', ':', '[', '(']);
        var path = (end < 0 ? message : message[..end]).Replace('.', ':');
        var key = _layers.SelectMany(l => l.Keys).FirstOrDefault(k => k.Equals(path, StringComparison.OrdinalIgnoreCase)
            || (path.Equals("Workers", StringComparison.OrdinalIgnoreCase) && IsPoolSize(k)));
        return key is null ? $"configuration: {message}" : $"{PlaceOf(key)}: {Display(key)}: {message}";
    }

    private static string UnknownKey(string key, int bad, ConfigNode parent)
    {
        var segments = key.Split(':');
        var where = bad == 0 ? "at the top level" : $"in {Display(string.Join(':', segments[..bad]))}";
        if (parent.Kind == ConfigNodeKind.Value)
        {
            return $"{Display(string.Join(':', segments[..bad]))}: takes a single value, not a section";
        }

        var names = parent.Children.Values.Select(c => c.Name).ToList();
        // Compared without case: a variable names the key in capitals (WEFT__POOL__MAXWORKRS).
        var closest = Suggestions.Closest(segments[bad].ToLowerInvariant(), names.Select(n => n.ToLowerInvariant()));
        var hint = closest is null ? "" : $" (did you mean '{names.First(n => n.Equals(closest, StringComparison.OrdinalIgnoreCase))}'?)";
        return $"unknown key '{segments[bad]}' {where}{hint}";
    }

    private static string Describe(ConfigNode node) => node.Kind switch
    {
        ConfigNodeKind.List => "a list",
        ConfigNodeKind.Map => "a mapping of names to values",
        _ => $"a section ({string.Join(", ", node.Children.Values.Select(c => c.Name).Take(6))}{(node.Children.Count > 6 ? ", …" : "")})",
    };

    /// <summary>A key as the file writes it: <c>Pool:MaxWorkers</c> → <c>pool.maxWorkers</c>.</summary>
    internal static string Display(string key)
    {
        // Known names as the schema spells them; a map's keys and unknown names as the user wrote them.
        var node = (ConfigNode?)ConfigSchema.Root;
        var names = new List<string>();
        foreach (var segment in key.Split(':'))
        {
            node = node?.Kind switch
            {
                ConfigNodeKind.Section => node.Children.GetValueOrDefault(segment),
                ConfigNodeKind.List or ConfigNodeKind.Map => node.Item,
                _ => null,
            };
            names.Add(node is { Name.Length: > 0 } ? node.Name : segment);
        }

        return string.Join('.', names);
    }
}
