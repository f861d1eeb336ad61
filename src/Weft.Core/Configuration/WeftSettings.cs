namespace Weft.Configuration;

/// <summary>The sections of <c>weft.yaml</c> that configure the process around the engine (server,
/// store, plugins, connections…), beside the engine's own <see cref="WeftOptions"/> at the same level.
/// Some are read and checked now so a file can carry them, and are used by the features that come
/// with them (docs/CONFIGURATION.md says which).</summary>
public sealed class WeftSettings
{
    /// <summary>Where runs are recorded, as <c>--store</c> takes it: <c>sqlite</c>, <c>sqlite:PATH</c>,
    /// <c>memory</c> or <c>postgres://…</c>. Null: <c>WEFT_STORE</c>, else the default SQLite file.</summary>
    public string? Store { get; set; }

    /// <summary><c>weft server</c>: where it listens and who may change things.</summary>
    public ServerSettings Server { get; } = new();

    /// <summary>Assemblies whose <c>[WeftFunction]</c> methods are registered at start, as <c>--assembly</c>
    /// does; a relative path is relative to the configuration file.</summary>
    public IList<string> Plugins { get; } = [];

    /// <summary>How a cluster's scheduler and workers reach each other.</summary>
    public TransportSettings Transport { get; } = new();

    /// <summary>Named SQL connections tasks may use.</summary>
    public IDictionary<string, ConnectionSettings> Connections { get; } = new Dictionary<string, ConnectionSettings>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The container runtime for container tasks.</summary>
    public ContainerSettings Containers { get; } = new();

    /// <summary>Where the key that encrypts outputs and secrets at rest comes from.</summary>
    public EncryptionSettings Encryption { get; } = new();

    internal IEnumerable<(string Path, string Message)> Validate()
    {
        foreach (var problem in Server.Validate())
        {
            yield return problem;
        }

        foreach (var (name, connection) in Connections)
        {
            foreach (var (path, message) in connection.Validate())
            {
                yield return ($"connections:{name}:{path}", message);
            }
        }

        foreach (var problem in Encryption.Validate())
        {
            yield return problem;
        }

        foreach (var problem in Transport.Validate())
        {
            yield return problem;
        }
    }
}
