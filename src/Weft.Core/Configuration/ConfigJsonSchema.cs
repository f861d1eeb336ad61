using System.Reflection;
using System.Text;
using System.Text.Json;
using Weft.Definitions;

namespace Weft.Configuration;

/// <summary>Writes the JSON Schema of <c>weft.yaml</c> (schema/weft-config.schema.json) from the same
/// reflection the loader checks with, defaults included; a test keeps the shipped file equal to it.</summary>
internal static class ConfigJsonSchema
{
    public static string Generate()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            w.WriteString("$id", "https://weft.dev/schema/weft-config.schema.json");
            w.WriteString("title", "Weft configuration");
            w.WriteString("description", "weft.yaml / weft.json: the engine's options (WeftOptions) and the process's settings (WeftSettings). Environment variables WEFT__SECTION__KEY and flags override it. See docs/CONFIGURATION.md.");
            w.WriteString("type", "object");
            w.WriteBoolean("additionalProperties", false);
            w.WriteStartObject("properties");
            w.WriteStartObject("$schema");
            w.WriteString("type", "string");
            w.WriteEndObject();
            foreach (var node in ConfigSchema.Root.Children.Values)
            {
                w.WritePropertyName(node.Name);
                Write(w, node, Default(node));
            }

            w.WriteEndObject();
            w.WriteStartObject("$defs");
            w.WriteStartObject("duration");
            w.WriteString("type", "string");
            w.WriteString("description", $"A duration: {Durations.Examples}.");
            w.WriteString("pattern", @"^\s*(P\S+|[0-9.]+\s*[a-z]+([0-9.]+\s*[a-z]+)*|[0-9.:]+)\s*$");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static object? Default(ConfigNode node) =>
        node.Property is { } p && p.DeclaringType is { } owner && owner.GetConstructor(Type.EmptyTypes) is not null
            ? p.GetValue(owner == typeof(WeftOptions) ? new WeftOptions() : Activator.CreateInstance(owner))
            : null;

    private static void Write(Utf8JsonWriter w, ConfigNode node, object? instance)
    {
        w.WriteStartObject();
        switch (node.Kind)
        {
            case ConfigNodeKind.Section:
                w.WriteStartArray("type");
                w.WriteStringValue("object");
                if (Nullable(node))
                {
                    w.WriteStringValue("null");
                }

                w.WriteEndArray();
                w.WriteBoolean("additionalProperties", false);
                w.WriteStartObject("properties");
                var section = instance ?? (node.Type.GetConstructor(Type.EmptyTypes) is { } ctor ? ctor.Invoke(null) : null);
                foreach (var child in node.Children.Values)
                {
                    w.WritePropertyName(child.Name);
                    Write(w, child, section is null ? null : child.Property!.GetValue(section));
                }

                w.WriteEndObject();
                break;
            case ConfigNodeKind.List:
                w.WriteString("type", "array");
                w.WritePropertyName("items");
                Write(w, node.Item!, null);
                break;
            case ConfigNodeKind.Map:
                w.WriteString("type", "object");
                w.WritePropertyName("additionalProperties");
                Write(w, node.Item!, null);
                break;
            default:
                WriteValue(w, node, instance);
                break;
        }

        w.WriteEndObject();
    }

    private static bool Nullable(ConfigNode node) =>
        System.Nullable.GetUnderlyingType(node.Type) is not null
        || (node.Property is { } p && new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable);

    private static void WriteValue(Utf8JsonWriter w, ConfigNode node, object? value)
    {
        var type = System.Nullable.GetUnderlyingType(node.Type) ?? node.Type;
        var nullable = Nullable(node);
        if (type == typeof(TimeSpan))
        {
            if (nullable)
            {
                w.WriteStartArray("anyOf");
                w.WriteStartObject();
                w.WriteString("$ref", "#/$defs/duration");
                w.WriteEndObject();
                w.WriteStartObject();
                w.WriteString("type", "null");
                w.WriteEndObject();
                w.WriteEndArray();
            }
            else
            {
                w.WriteString("$ref", "#/$defs/duration");
            }
        }
        else if (type.IsEnum)
        {
            w.WriteStartArray("enum");
            foreach (var name in Enum.GetNames(type))
            {
                w.WriteStringValue(ConfigSchema.CamelCase(name));
            }

            if (nullable)
            {
                w.WriteNullValue();
            }

            w.WriteEndArray();
        }
        else
        {
            var json = type == typeof(bool) ? "boolean"
                : type == typeof(int) || type == typeof(long) ? "integer"
                : type == typeof(double) ? "number"
                : "string";
            if (nullable)
            {
                w.WriteStartArray("type");
                w.WriteStringValue(json);
                w.WriteStringValue("null");
                w.WriteEndArray();
            }
            else
            {
                w.WriteString("type", json);
            }

            if (type == typeof(RateLimit))
            {
                w.WriteString("pattern", @"^\s*[0-9]+\s*/\s*(s|sec|second|m|min|minute|h|hour)\s*$");
            }
        }

        // workers reads the pool's size back, so it has no default of its own.
        if (node.Property is null || node.Property.Name == nameof(WeftOptions.Workers))
        {
            return;
        }

        w.WritePropertyName("default");
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case double d:
                w.WriteNumberValue(d);
                break;
            default:
                w.WriteStringValue(ConfigScalars.Format(value));
                break;
        }
    }
}
