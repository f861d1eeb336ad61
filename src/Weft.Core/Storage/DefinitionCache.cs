using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Weft.Definitions;

namespace Weft.Storage;

/// <summary>Definitions by content hash, for this store instance. Writing: the engine submits the
/// same definition object many times, so its JSON and hash are computed once per object.
/// Reading: a definition this process wrote or already parsed is not parsed (or fetched) again;
/// cluster workers ask for the same few definitions for every task they claim. Shared by the
/// SQLite and PostgreSQL stores.</summary>
internal sealed class DefinitionCache
{
    private const int MaxParsed = 256;

    private static readonly HashSet<string> BuiltInKeys = new(WorkflowLoader.KnownTaskKeys, StringComparer.Ordinal);

    private readonly ConditionalWeakTable<WorkflowDefinition, Written> _written = new();
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _byHash = new(StringComparer.Ordinal);

    public sealed record Written(string Hash, string Json);

    public Written Write(WorkflowDefinition definition)
    {
        var written = _written.GetValue(definition, static d =>
        {
            var json = DefinitionJson.Write(d);
            return new Written(DefinitionJson.HashOf(json), json);
        });
        _byHash.TryAdd(written.Hash, definition);
        return written;
    }

    public bool TryGet(string hash, out WorkflowDefinition definition) => _byHash.TryGetValue(hash, out definition!);

    /// <summary>The definition under <paramref name="hash"/>: remembered, or loaded and parsed once.</summary>
    public WorkflowDefinition Read(string hash, Func<string> loadJson) =>
        TryGet(hash, out var known) ? known : Remember(hash, loadJson());

    /// <summary>Parses stored JSON and remembers it under its hash.</summary>
    public WorkflowDefinition Remember(string hash, string json)
    {
        var definition = Parse(hash, json);
        if (_byHash.Count >= MaxParsed)
        {
            _byHash.Clear();
        }

        _byHash.TryAdd(hash, definition);
        return definition;
    }

    /// <summary>Parses stored JSON with the workflow loader. Kinds added by plug-ins are allowed:
    /// the definition was valid when it was stored, whatever handlers this process has.</summary>
    private static WorkflowDefinition Parse(string hash, string json)
    {
        var extraKinds = new HashSet<string>(StringComparer.Ordinal);
        if (JsonNode.Parse(json)?["tasks"] is JsonObject tasks)
        {
            foreach (var (_, task) in tasks)
            {
                if (task is JsonObject fields)
                {
                    extraKinds.UnionWith(fields.Select(f => f.Key).Where(k => !BuiltInKeys.Contains(k)));
                }
            }
        }

        return WorkflowLoader.Parse(json, $"stored definition {hash}", WorkflowLoadOptions.ForStoredDefinition(extraKinds));
    }
}
