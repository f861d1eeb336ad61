using System.Security.Cryptography;
using System.Text;
using Weft.Definitions;

namespace Weft.Server.Workflows;

/// <summary>One registered version of a workflow: the text it was registered from and its definition.</summary>
internal sealed record WorkflowVersion(string Name, int Version, string Hash, DateTimeOffset RegisteredAt, WorkflowDefinition Definition, string Source);

/// <summary>Workflow definitions registered with the server, by name, every version kept. Registering
/// the same text again returns the existing version. Kept in the server's memory: the store has no
/// definitions table yet, so registrations do not survive a restart.</summary>
internal sealed class WorkflowRegistry(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<WorkflowVersion>> _versions = new(StringComparer.Ordinal);

    /// <summary>Raised after a new version is registered (schedules pick it up).</summary>
    public event Action<WorkflowVersion>? Registered;

    public (WorkflowVersion Version, bool Created) Register(WorkflowDefinition definition, string source)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
        WorkflowVersion version;
        lock (_gate)
        {
            if (!_versions.TryGetValue(definition.Name, out var list))
            {
                _versions[definition.Name] = list = [];
            }

            if (list.Find(v => v.Hash == hash) is { } same)
            {
                return (same, false);
            }

            version = new WorkflowVersion(definition.Name, list.Count + 1, hash, time.GetUtcNow(), definition, source);
            list.Add(version);
        }

        Registered?.Invoke(version);
        return (version, true);
    }

    public WorkflowVersion? Find(string name, int? version = null)
    {
        lock (_gate)
        {
            if (!_versions.TryGetValue(name, out var list))
            {
                return null;
            }

            return version is { } v ? list.Find(x => x.Version == v) : list[^1];
        }
    }

    public IReadOnlyList<WorkflowVersion> Versions(string name)
    {
        lock (_gate)
        {
            return _versions.TryGetValue(name, out var list) ? [.. list] : [];
        }
    }

    /// <summary>The latest version of every workflow, by name.</summary>
    public IReadOnlyList<WorkflowVersion> Latest()
    {
        lock (_gate)
        {
            return [.. _versions.Values.Select(l => l[^1]).OrderBy(v => v.Name, StringComparer.Ordinal)];
        }
    }
}
