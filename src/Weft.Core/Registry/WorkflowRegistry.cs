using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Registry;

/// <summary>Workflow definitions registered by name, every version kept, in the engine's store (so they
/// outlive the process and every engine on the store sees them). Registering the same text again
/// returns the existing version. A new version with a <c>schedule:</c> starts (or keeps) that schedule;
/// one without it ends it.</summary>
public sealed class WorkflowRegistry
{
    // Parsed definitions by source hash: stored text is parsed once per process, not on every read.
    private const int MaxParsed = 1024;

    private readonly IRegistryStore _store;
    private readonly TimeProvider _time;
    private readonly Action _changed;
    private readonly WorkflowLoadOptions? _load;
    private readonly ConcurrentDictionary<(string Name, string Hash), WorkflowDefinition> _parsed = new();

    /// <summary>How this registry reads workflow text: with the engine's kinds.</summary>
    internal WorkflowLoadOptions? LoadOptions => _load;

    // kinds: the engine's; a registered workflow may use a kind its handlers add (a plug-in's).
    internal WorkflowRegistry(IRegistryStore store, TimeProvider time, Action changed, IReadOnlyCollection<string>? kinds = null)
    {
        _load = kinds is null ? null : new WorkflowLoadOptions { ExtraKinds = kinds };
        _store = store;
        _time = time;
        _changed = changed;
    }

    /// <summary>Parses and registers workflow text (YAML, or JSON when <paramref name="fileName"/> or the
    /// text says so). Throws <see cref="WorkflowValidationException"/> for bad text; nothing is stored then.</summary>
    public ValueTask<(RegisteredWorkflow Workflow, bool Created)> RegisterAsync(string source, string fileName = "inline.yaml", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fileName);
        return RegisterAsync(WorkflowLoader.Parse(source, fileName, _load), source, fileName, cancellationToken);
    }

    /// <summary>Registers a definition built in code; its text is its JSON form.</summary>
    public ValueTask<(RegisteredWorkflow Workflow, bool Created)> RegisterAsync(WorkflowDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = WorkflowValidator.Validate(definition);
        return errors.Count > 0
            ? throw new WorkflowValidationException(errors)
            : RegisterAsync(definition, DefinitionJson.Write(definition), definition.Name + ".json", cancellationToken);
    }

    /// <summary>Registers a definition already parsed from <paramref name="source"/>.</summary>
    public async ValueTask<(RegisteredWorkflow Workflow, bool Created)> RegisterAsync(WorkflowDefinition definition, string source, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(source);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
        var now = _time.GetUtcNow();
        var (stored, created) = await _store.RegisterWorkflowAsync(new StoredWorkflow(definition.Name, 0, hash, now, source, fileName), cancellationToken).ConfigureAwait(false);
        if (created)
        {
            Remember(stored, definition);

            // Ticks before registration are not "missed": the schedule did not exist then. A schedule
            // that exists already keeps its pause state and how far it was evaluated.
            if (definition.Schedule is not null)
            {
                await _store.AddScheduleAsync(stored.Name, now, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _store.RemoveScheduleAsync(stored.Name, cancellationToken).ConfigureAwait(false);
            }

            _changed();
        }

        return (View(stored), created);
    }

    /// <summary>One version (the latest when <paramref name="version"/> is null); null when unknown.</summary>
    public async ValueTask<RegisteredWorkflow?> FindAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
        await _store.GetWorkflowAsync(name, version, cancellationToken).ConfigureAwait(false) is { } stored ? View(stored) : null;

    /// <summary>Every version of one workflow, oldest first; empty when unknown.</summary>
    public async ValueTask<IReadOnlyList<RegisteredWorkflow>> VersionsAsync(string name, CancellationToken cancellationToken = default) =>
        [.. (await _store.ListWorkflowVersionsAsync(name, cancellationToken).ConfigureAwait(false)).Select(View)];

    /// <summary>The latest version of every workflow, by name.</summary>
    public async ValueTask<IReadOnlyList<RegisteredWorkflow>> LatestAsync(CancellationToken cancellationToken = default) =>
        [.. (await _store.ListLatestWorkflowsAsync(cancellationToken).ConfigureAwait(false)).Select(View)];

    private RegisteredWorkflow View(StoredWorkflow stored) =>
        new(stored.Name, stored.Version, stored.Hash, stored.RegisteredAt, DefinitionOf(stored), stored.Source);

    private WorkflowDefinition DefinitionOf(StoredWorkflow stored)
    {
        if (_parsed.TryGetValue((stored.Name, stored.Hash), out var known))
        {
            return known;
        }

        WorkflowDefinition definition;
        try
        {
            definition = WorkflowLoader.Parse(stored.Source, stored.SourceName, _load);
        }
        catch (WorkflowValidationException ex)
        {
            // It was valid when registered; a weft that reads it differently says which one and why.
            throw new WeftStoreException($"registered workflow '{stored.Name}' version {stored.Version} cannot be read by this weft: {string.Join("; ", ex.Errors)}", ex);
        }

        return Remember(stored, definition);
    }

    private WorkflowDefinition Remember(StoredWorkflow stored, WorkflowDefinition definition)
    {
        if (_parsed.Count >= MaxParsed)
        {
            _parsed.Clear();
        }

        return _parsed.GetOrAdd((stored.Name, stored.Hash), definition);
    }
}
