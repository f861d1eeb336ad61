using System.Text.Json.Nodes;

namespace Weft.Definitions;

/// <summary>The kind-specific part of a task. Built-in kinds have typed specs; a kind added by a
/// user's <c>ITaskHandler</c> gets a <see cref="CustomSpec"/> holding its raw value.</summary>
public abstract record TaskSpec
{
    public abstract string Kind { get; }
}

/// <summary>Run by <c>/bin/sh -c Command</c>; with <see cref="Args"/>, <see cref="Command"/> is run
/// directly as a program with those arguments and no shell. Templates in any string field are
/// handed to the process as environment variables, never spliced into shell code.</summary>
public sealed record ShellSpec(string Command) : TaskSpec
{
    public override string Kind => "shell";
    public IReadOnlyList<string>? Args { get; init; }
    public string? WorkDir { get; init; }
    public IReadOnlyDictionary<string, string>? Env { get; init; }
}

public sealed record HttpSpec(string Method, string Url) : TaskSpec
{
    public override string Kind => "http";
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The body as text, templates rendered as they are (no escaping): for non-JSON bodies.</summary>
    public string? Body { get; init; }

    /// <summary>A JSON body given as structure (<c>json:</c>): each template in a string value is
    /// rendered into that JSON string, escaped, so a value can never add fields. Sent as
    /// <c>application/json</c> unless a Content-Type header says otherwise. At most one of
    /// <see cref="Body"/> and <see cref="Json"/>.</summary>
    public JsonNode? Json { get; init; }

    /// <summary>Statuses that count as success; null means any 2xx.</summary>
    public IReadOnlyList<int>? ExpectStatus { get; init; }

    /// <summary>Request timeout; the task's own timeout still applies.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>Calls a registered C# function with <see cref="With"/> as its arguments.</summary>
public sealed record FunctionSpec(string Name) : TaskSpec
{
    public override string Kind => "function";
    public JsonObject? With { get; init; }
}

public sealed record SleepSpec(TimeSpan Duration) : TaskSpec
{
    public override string Kind => "sleep";
}

public sealed record NoopSpec : TaskSpec
{
    public static readonly NoopSpec Instance = new();
    public override string Kind => "noop";
}

/// <summary>A kind the core does not know; its handler interprets <see cref="Value"/>.</summary>
public sealed record CustomSpec(string CustomKind, JsonNode? Value) : TaskSpec
{
    public override string Kind => CustomKind;
}
