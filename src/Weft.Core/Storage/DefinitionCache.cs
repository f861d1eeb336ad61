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
    private readonly ConditionalWeakTable<WorkflowDefinition, Encoded> _encoded = new();
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _byHash = new(StringComparer.Ordinal);

    public sealed record Written(string Hash, string Json);

    /// <summary>A definition as a store writes it: its content hash and its JSON encoded by the store's
    /// codec (<see cref="Body"/>, <see cref="Flags"/>).</summary>
    public sealed record Encoded(string Hash, byte[] Body, BlobFlags Flags);

    /// <summary>The hash and stored form of <paramref name="definition"/>, computed once per object
    /// (<paramref name="codec"/> is the store's, the same on every call). The JSON streams through the
    /// encoder and only its compressed form is kept: for a definition of a million tasks that is a few
    /// hundred KB, where its JSON (and the buffers that built it) came to about 200 MB.</summary>
    public Encoded Encode(WorkflowDefinition definition, BlobCodec codec)
    {
        if (!_encoded.TryGetValue(definition, out var encoded))
        {
            encoded = EncodeOnce(definition, codec);
            _encoded.AddOrUpdate(definition, encoded);
        }

        _byHash.TryAdd(encoded.Hash, definition);
        return encoded;
    }

    private static Encoded EncodeOnce(WorkflowDefinition definition, BlobCodec codec)
    {
        using var blob = new StreamedBlob(codec.CompressionThreshold);
        DefinitionJson.WriteTo(blob, definition);
        var body = blob.Finish(out var flags, out var hash);
        if (body is null)
        {
            // Compression did not pay (rare for JSON): the plain bytes, written again.
            body = codec.Encode(DefinitionJson.Write(definition), secret: false, out flags);
        }

        return new Encoded(hash, body, flags);
    }

    /// <summary>The hash and JSON of <paramref name="definition"/>, kept as long as the definition
    /// (a cluster publishes the JSON with each task).</summary>
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
