using System.Text.Json.Nodes;

namespace Weft.Definitions;

/// <summary>The kind-specific part of a task. Built-in kinds have typed specs; a kind added by a
/// user's <c>ITaskHandler</c> gets a <see cref="CustomSpec"/> holding its raw value.</summary>
public abstract record TaskSpec
{
    /// <summary>The kind key in a workflow file, e.g. <c>shell</c>; picks the handler.</summary>
    public abstract string Kind { get; }
}

/// <summary>Run by <c>/bin/sh -c Command</c>; with <see cref="Args"/>, <see cref="Command"/> is run
/// directly as a program with those arguments and no shell. Templates in any string field are
/// handed to the process as environment variables, never spliced into shell code.</summary>
public sealed record ShellSpec(string Command) : TaskSpec
{
    /// <summary>Always <c>shell</c>.</summary>
    public override string Kind => "shell";
    /// <summary>Arguments for <see cref="Command"/> run without a shell; null runs <see cref="Command"/> through <c>/bin/sh -c</c>.</summary>
    public IReadOnlyList<string>? Args { get; init; }
    /// <summary>Working directory; null for the engine process's own.</summary>
    public string? WorkDir { get; init; }
    /// <summary>Variables added to the inherited environment; null for none.</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }
}

/// <summary>Sends an HTTP request; success is a 2xx status (or one of <see cref="ExpectStatus"/>), and the response body is the output.</summary>
/// <param name="Method">The HTTP method, upper case (<c>GET</c>, <c>POST</c>, …).</param>
/// <param name="Url">The absolute URL; may hold templates, which are URL-encoded.</param>
public sealed record HttpSpec(string Method, string Url) : TaskSpec
{
    /// <summary>Always <c>http</c>.</summary>
    public override string Kind => "http";
    /// <summary>Request headers; null for none.</summary>
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
    /// <summary>Always <c>function</c>.</summary>
    public override string Kind => "function";
    /// <summary>The function's arguments; null for none.</summary>
    public JsonObject? With { get; init; }
}

/// <summary>Waits, then succeeds.</summary>
/// <param name="Duration">How long to wait.</param>
public sealed record SleepSpec(TimeSpan Duration) : TaskSpec
{
    /// <summary>Always <c>sleep</c>.</summary>
    public override string Kind => "sleep";
}

/// <summary>Does nothing and succeeds at once (joins and placeholders).</summary>
public sealed record NoopSpec : TaskSpec
{
    /// <summary>The one instance (the spec has no fields).</summary>
    public static readonly NoopSpec Instance = new();
    /// <summary>Always <c>noop</c>.</summary>
    public override string Kind => "noop";
}

/// <summary>A kind the core does not know; its handler interprets <see cref="Value"/>.</summary>
public sealed record CustomSpec(string CustomKind, JsonNode? Value) : TaskSpec
{
    /// <summary>The kind key, <see cref="CustomKind"/>.</summary>
    public override string Kind => CustomKind;
}
