using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weft.Handlers;

/// <summary>Reads a typed function's input from its <c>with:</c> arguments. A value that does not fit
/// becomes a <see cref="FunctionArgumentException"/> naming the field (its JSON path), so the task fails
/// with a message a workflow author can act on rather than a serializer's stack.</summary>
internal static class TypedInput
{
    public static TIn Read<TIn>(JsonObject? args, string function)
    {
        if (typeof(TIn) == typeof(JsonObject))
        {
            return (TIn)(object)(args ?? []);
        }

        try
        {
            // No with: at all reads as {}, so required members are reported by name rather than as null.
            var value = (args ?? []).Deserialize<TIn>(JsonSerializerOptions.Web);
            return value ?? throw new FunctionArgumentException($"function '{function}': its input ({typeof(TIn).Name}) is null");
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            var reason = Reason(ex.Message);
            throw new FunctionArgumentException(field is null
                ? $"function '{function}': with: does not fit {typeof(TIn).Name}: {reason}"
                : $"function '{function}': argument '{field}' does not fit {typeof(TIn).Name}: {reason}");
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new FunctionArgumentException($"function '{function}': with: cannot be read as {typeof(TIn).Name}: {Reason(ex.Message)}");
        }
    }

    // The serializer appends "Path: $.x | LineNumber: 0 | BytePositionInLine: 9." — the field is already named.
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
