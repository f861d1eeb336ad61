using Weft.Configuration;

namespace Weft.Sql;

/// <summary>Finds a named connection: the environment variable <c>WEFT_CONNECTION_NAME</c> (the name
/// upper-cased, '-' as '_'), else the configuration's <c>connections:</c>. The variable wins, as the
/// environment wins over the file everywhere else; pool settings then still come from the file's entry
/// when it has one. Never from the workflow: a definition names a connection, it does not hold one.</summary>
internal sealed class SqlConnectionDirectory(IReadOnlyDictionary<string, ConnectionSettings> configured, Func<string, string?> environment)
{
    public const string VariablePrefix = "WEFT_CONNECTION_";

    public static SqlConnectionDirectory FromProcess(IEnumerable<KeyValuePair<string, ConnectionSettings>> configured) =>
        new(configured.ToDictionary(c => c.Key, c => c.Value, StringComparer.OrdinalIgnoreCase), Environment.GetEnvironmentVariable);

    public static string VariableFor(string name) => VariablePrefix + name.ToUpperInvariant().Replace('-', '_');

    /// <summary>The settings and target for <paramref name="name"/>, or null with a message for the task.</summary>
    public (ConnectionSettings Settings, SqlTarget Target)? Find(string name, out string? error)
    {
        var variable = VariableFor(name);
        var fromEnvironment = environment(variable);
        configured.TryGetValue(name, out var settings);
        var text = string.IsNullOrWhiteSpace(fromEnvironment) ? settings?.ConnectionString : fromEnvironment;
        if (string.IsNullOrWhiteSpace(text))
        {
            var known = configured.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList();
            error = $"unknown connection '{name}': it is not under 'connections:' in the configuration and {variable} is not set"
                + (known.Count == 0 ? " (no connections are configured)" : $" (configured: {string.Join(", ", known)})");
            return null;
        }

        settings ??= new ConnectionSettings();
        var source = string.IsNullOrWhiteSpace(fromEnvironment) ? $"connections:{name}:connectionString" : variable;
        if (SqlTarget.TryParse(text, settings.Provider, out var problem) is not { } target)
        {
            error = $"connection '{name}' ({source}) is not usable: {problem}";
            return null;
        }

        error = null;
        return (settings, target);
    }

    /// <summary>The names configured in the file (the environment's are found on demand).</summary>
    public IEnumerable<string> ConfiguredNames => configured.Keys;
}
