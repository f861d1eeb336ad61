using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Weft.Definitions;

/// <summary>Writes a definition in the workflow file format (as JSON), so a store can keep the exact
/// definition a run used and read it back with <see cref="WorkflowLoader"/>. Fields equal to their
/// default are left out; durations are written in whole milliseconds (or exact fractions) so
/// nothing is lost. The output is deterministic, which makes <see cref="Hash"/> a content address.</summary>
public static class DefinitionJson
{
    // The writer's own buffer is handed to the stream past this size (it would otherwise grow, by
    // doubling, to the whole JSON).
    private const int FlushEvery = 16 * 1024;

    private static readonly string[] TriggerNames = ["all_success", "all_done", "all_failed", "one_success", "one_failed", "none_failed"];
    private static readonly string[] StrategyNames = ["none", "immediate", "fixed", "exponential", "fibonacci"];
    private static readonly string[] PriorityNames = ["critical", "high", "normal", "low"];

    // Relaxed escaping keeps commands and URLs readable ("a && b", not "a \u0026\u0026 b"); the
    // JSON is never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The definition as deterministic JSON in the workflow file format; throws <see cref="NotSupportedException"/> for a task spec type it does not know.</summary>
    public static string Write(WorkflowDefinition definition)
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer, definition);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes <see cref="Write"/>'s JSON as UTF-8 to <paramref name="stream"/>, a little at a time:
    /// a store encodes a definition of a million tasks on its way to the disk without ever holding its
    /// 20 MB of JSON (nor the writer's buffer of it) whole.</summary>
    internal static void WriteTo(Stream stream, WorkflowDefinition definition)
    {
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("name", definition.Name);
            if (definition.Description is { } description)
            {
                w.WriteString("description", description);
            }

            if (definition.Deadline is { } deadline)
            {
                w.WriteString("deadline", Deadline(deadline));
            }

            if (definition.Params.Count > 0)
            {
                w.WriteStartObject("params");
                foreach (var p in definition.Params)
                {
                    WriteParam(w, p);
                }

                w.WriteEndObject();
            }

            if (definition.Pools.Count > 0)
            {
                w.WriteStartObject("pools");
                foreach (var (name, size) in definition.Pools)
                {
                    w.WriteNumber(name, size);
                }

                w.WriteEndObject();
            }

            if (definition.RateLimits.Count > 0)
            {
                w.WriteStartObject("rateLimits");
                foreach (var (name, limit) in definition.RateLimits)
                {
                    w.WriteString(name, limit.ToString());
                }

                w.WriteEndObject();
            }

            if (definition.MaxParallel is { } maxParallel)
            {
                w.WriteNumber("maxParallel", maxParallel);
            }

            w.WriteStartObject("tasks");
            foreach (var task in definition.Tasks)
            {
                WriteTask(w, task);
                if (w.BytesPending >= FlushEvery)
                {
                    w.Flush();
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    /// <summary>Lowercase hex SHA-256 of <see cref="Write"/>'s UTF-8 bytes.</summary>
    public static string Hash(WorkflowDefinition definition) => HashOf(Write(definition));

    /// <summary>Lowercase hex SHA-256 of already written definition JSON.</summary>
    public static string HashOf(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>"1500ms"; sub-millisecond parts as a decimal fraction ("0.5ms").</summary>
    public static string Duration(TimeSpan value) =>
        (value.Ticks / (decimal)TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture) + "ms";

    /// <summary>A relative deadline as exact milliseconds; a point in time as ISO-8601 with its offset.</summary>
    private static string Deadline(DeadlineSpec deadline) =>
        deadline.After is { } after ? Duration(after) : deadline.At!.Value.ToString("O", CultureInfo.InvariantCulture);

    private static void WriteParam(Utf8JsonWriter w, ParamDefinition p)
    {
        w.WriteStartObject(p.Name);
        if (p.Default is { } value)
        {
            w.WriteString("default", value);
        }

        if (p.Description is { } description)
        {
            w.WriteString("description", description);
        }

        if (p.Required)
        {
            w.WriteBoolean("required", true);
        }

        if (p.Secret)
        {
            w.WriteBoolean("secret", true);
        }

        w.WriteEndObject();
    }

    private static void WriteTask(Utf8JsonWriter w, TaskDefinition task)
    {
        w.WriteStartObject(task.Id);
        WriteSpec(w, task.Spec);
        if (task.DependsOn.Count > 0)
        {
            w.WriteStartArray("dependsOn");
            foreach (var d in task.DependsOn)
            {
                w.WriteStringValue(d);
            }

            w.WriteEndArray();
        }

        if (task.Timeout is { } timeout)
        {
            w.WriteString("timeout", Duration(timeout));
        }

        if (task.Deadline is { } deadline)
        {
            w.WriteString("deadline", Deadline(deadline));
        }

        if (task.Retry != RetryPolicy.None)
        {
            WriteRetry(w, task.Retry);
        }

        if (task.Priority != TaskPriority.Normal)
        {
            w.WriteString("priority", PriorityNames[(int)task.Priority]);
        }

        if (task.Trigger != TriggerRule.AllSuccess)
        {
            w.WriteString("trigger", TriggerNames[(int)task.Trigger]);
        }

        if (task.Pool is { } pool)
        {
            w.WriteString("pool", pool);
        }

        if (task.Queue != TaskDefinition.DefaultQueue)
        {
            w.WriteString("queue", task.Queue);
        }

        if (task.Breaker is { } breaker)
        {
            w.WriteString("breaker", breaker);
        }

        if (task.RateLimit is { } rate)
        {
            w.WriteString("rateLimit", rate);
        }

        if (task.DeclaredResources.Count > 0)
        {
            w.WriteStartObject("resources");
            foreach (var (name, amount) in task.DeclaredResources)
            {
                w.WriteString(name, amount.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }

            w.WriteEndObject();
        }

        if (task.Cache is { } cache)
        {
            WriteCache(w, cache);
        }

        if (task.Map is { } map)
        {
            w.WriteStartObject("map");
            w.WriteString("over", map.Over);
            if (map.MaxParallel is { } maxParallel)
            {
                w.WriteNumber("maxParallel", maxParallel);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteCache(Utf8JsonWriter w, CachePolicy cache)
    {
        if (cache == CachePolicy.Default)
        {
            w.WriteBoolean("cache", true);
            return;
        }

        w.WriteStartObject("cache");
        if (cache.Ttl is { } ttl)
        {
            w.WriteString("ttl", Duration(ttl));
        }

        if (cache.Key is { } key)
        {
            w.WriteString("key", key);
        }

        w.WriteEndObject();
    }

    // Strategy, attempts, delay and multiplier are always written: a reader's defaults for a bare
    // "retry" block need not match RetryPolicy's, and the stored definition must mean the same thing.
    private static void WriteRetry(Utf8JsonWriter w, RetryPolicy retry)
    {
        w.WriteStartObject("retry");
        w.WriteString("strategy", StrategyNames[(int)retry.Strategy]);
        w.WriteNumber("maxAttempts", retry.MaxAttempts);
        w.WriteString("delay", Duration(retry.Delay));
        if (retry.MaxDelay is { } maxDelay)
        {
            w.WriteString("maxDelay", Duration(maxDelay));
        }

        w.WriteNumber("multiplier", retry.Multiplier);
        if (retry.Jitter)
        {
            w.WriteBoolean("jitter", true);
        }

        if (retry.RetryOn is { } retryOn)
        {
            w.WriteStartArray("retryOn");
            foreach (var condition in retryOn)
            {
                w.WriteStringValue(condition.ToString());
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    // The kind is the key that holds the spec: {"shell": {...}}, {"sleep": "10ms"}, {"function": "f", "with": {...}}.
    private static void WriteSpec(Utf8JsonWriter w, TaskSpec spec)
    {
        switch (spec)
        {
            case ShellSpec shell:
                w.WriteStartObject("shell");
                w.WriteString("command", shell.Command);
                WriteStrings(w, "args", shell.Args);
                if (shell.WorkDir is { } workDir)
                {
                    w.WriteString("workdir", workDir);
                }

                WriteMap(w, "env", shell.Env);
                w.WriteEndObject();
                break;
            case HttpSpec http:
                WriteHttp(w, http);
                break;
            case WaitSpec wait:
                WriteWait(w, wait);
                break;
            case ChildWorkflowSpec child:
                WriteChild(w, child);
                break;
            case ContainerSpec container:
                WriteContainer(w, container);
                break;
            case FunctionSpec function:
                w.WriteString("function", function.Name);
                if (function.With is { } with)
                {
                    w.WritePropertyName("with");
                    with.WriteTo(w);
                }

                break;
            case SqlSpec sql:
                WriteSql(w, sql);
                break;
            case SleepSpec sleep:
                w.WriteString("sleep", Duration(sleep.Duration));
                break;
            case NoopSpec:
                w.WriteStartObject("noop");
                w.WriteEndObject();
                break;
            case CustomSpec custom:
                w.WritePropertyName(custom.CustomKind);
                if (custom.Value is { } value)
                {
                    value.WriteTo(w);
                }
                else
                {
                    w.WriteNullValue();
                }

                break;
            default:
                throw new NotSupportedException($"task kind '{spec.Kind}' ({spec.GetType().Name}) cannot be written as JSON");
        }
    }

    private static void WriteHttp(Utf8JsonWriter w, HttpSpec http)
    {
        w.WriteStartObject("http");
        WriteHttpFields(w, http);
        w.WriteEndObject();
    }

    private static void WriteHttpFields(Utf8JsonWriter w, HttpSpec http)
    {
        w.WriteString("method", http.Method);
        w.WriteString("url", http.Url);
        WriteMap(w, "headers", http.Headers);
        if (http.Body is { } body)
        {
            w.WriteString("body", body);
        }

        if (http.Json is { } json)
        {
            w.WritePropertyName("json");
            json.WriteTo(w);
        }

        if (http.ExpectStatus is { } expect)
        {
            w.WriteStartArray("expectStatus");
            foreach (var status in expect)
            {
                w.WriteNumberValue(status);
            }

            w.WriteEndArray();
        }

        if (http.Timeout is { } timeout)
        {
            w.WriteString("timeout", Duration(timeout));
        }
    }

    /// <summary>A registered child as its name; a child read from a file with its definition, so the stored
    /// parent runs the child it was validated with, wherever and whenever it runs.</summary>
    private static void WriteChild(Utf8JsonWriter w, ChildWorkflowSpec child)
    {
        if (child.Definition is { } definition)
        {
            w.WriteStartObject("workflow");
            w.WriteString("path", child.Workflow);
            w.WritePropertyName("definition");
            w.WriteRawValue(Write(definition), skipInputValidation: true);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("workflow", child.Workflow);
        }

        if (child.Params.Count > 0)
        {
            WriteMap(w, "params", child.Params);
        }
    }

    private static void WriteWait(Utf8JsonWriter w, WaitSpec wait)
    {
        w.WriteStartObject("wait");
        WriteOptional(w, "signal", wait.Signal);
        WriteOptional(w, "until", wait.Until);
        if (wait.Http is { } http)
        {
            w.WritePropertyName("http");
            w.WriteStartObject();
            WriteHttpFields(w, http);
            w.WriteEndObject();
        }

        if (wait.Http is not null && wait.Every != WaitSpec.DefaultEvery)
        {
            w.WriteString("every", Duration(wait.Every));
        }

        if (wait.Timeout is { } timeout)
        {
            w.WriteString("timeout", Duration(timeout));
        }

        if (wait.OnTimeout == WaitTimeoutOutcome.Succeed)
        {
            w.WriteString("onTimeout", "succeed");
        }

        w.WriteEndObject();
    }

    private static void WriteContainer(Utf8JsonWriter w, ContainerSpec container)
    {
        w.WriteStartObject("container");
        w.WriteString("image", container.Image);
        WriteStrings(w, "command", container.Command);
        WriteOptional(w, "command", container.Script);
        WriteMap(w, "env", container.Env);
        WriteStrings(w, "volumes", container.Volumes);
        WriteOptional(w, "workdir", container.WorkDir);
        WriteOptional(w, "user", container.User);
        WriteOptional(w, "network", container.Network);
        WriteOptional(w, "memory", container.Memory?.ToString(CultureInfo.InvariantCulture));
        if (container.Cpus is { } cpus)
        {
            w.WriteNumber("cpus", cpus);
        }

        WriteOptional(w, "pull", container.Pull?.ToString().ToLowerInvariant());
        if (container.Keep)
        {
            w.WriteBoolean("keep", true);
        }

        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteSql(Utf8JsonWriter w, SqlSpec sql)
    {
        w.WriteStartObject("sql");
        w.WriteString("connection", sql.Connection);
        w.WriteString("query", sql.Query);
        WriteMap(w, "params", sql.Params);
        if (sql.Result != SqlResult.Rows)
        {
            w.WriteString("result", sql.Result.ToString().ToLowerInvariant());
        }

        if (sql.Transaction)
        {
            w.WriteBoolean("transaction", true);
        }

        w.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            return;
        }

        w.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }
}
