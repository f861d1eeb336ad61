using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weft.Handlers;

/// <summary>Turns a <see cref="WeftFunctionAttribute"/> method into the registry's general delegate.
/// A <see cref="JsonObject"/> parameter receives all arguments; a <see cref="CancellationToken"/> the
/// invocation's token; any other parameter the argument of the same name (exact, else ignoring case),
/// deserialized with System.Text.Json web defaults, which also read numbers from strings, as rendered
/// templates are. A missing argument takes the parameter's default value, or fails the task.</summary>
internal static class FunctionBinder
{
    public static Func<JsonObject?, CancellationToken, ValueTask<object?>> Bind(MethodInfo method, string name)
    {
        if (method.ContainsGenericParameters)
        {
            throw new ArgumentException($"function '{name}' ({method.DeclaringType}.{method.Name}) is generic; generic methods cannot be called from a task");
        }

        var parameters = method.GetParameters();
        if (parameters.FirstOrDefault(p => p.ParameterType.IsByRef) is { } byRef)
        {
            throw new ArgumentException($"function '{name}' ({method.DeclaringType}.{method.Name}) has a ref/out parameter '{byRef.Name}'");
        }

        var unwrap = FunctionResult.UnwrapperFor(method.ReturnType);
        return (args, token) =>
        {
            var values = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                values[i] = BindParameter(parameters[i], args, token, name);
            }

            // DoNotWrapExceptions: user code's exception arrives as itself, not as TargetInvocationException.
            var result = method.Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, values, culture: null);
            return unwrap(result);
        };
    }

    private static object? BindParameter(ParameterInfo parameter, JsonObject? args, CancellationToken token, string function)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return token;
        }

        if (type == typeof(JsonObject))
        {
            return args ?? [];
        }

        var name = parameter.Name ?? string.Empty;
        if (TryFind(args, name, out var node))
        {
            return Convert(node, type, name, function);
        }

        if (parameter.HasDefaultValue)
        {
            // `int x = default` reports a null default value; the parameter still needs a real 0.
            return parameter.DefaultValue is null && type.IsValueType ? Activator.CreateInstance(type) : parameter.DefaultValue;
        }

        throw new FunctionArgumentException($"function '{function}': missing required argument '{name}' ({type.Name})");
    }

    private static bool TryFind(JsonObject? args, string name, out JsonNode? node)
    {
        node = null;
        if (args is null)
        {
            return false;
        }

        if (args.TryGetPropertyValue(name, out node))
        {
            return true;
        }

        foreach (var (key, value) in args)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                node = value;
                return true;
            }
        }

        return false;
    }

    private static object? Convert(JsonNode? node, Type type, string name, string function)
    {
        if (node is null)
        {
            return !type.IsValueType || Nullable.GetUnderlyingType(type) is not null
                ? null
                : throw new FunctionArgumentException($"function '{function}': argument '{name}' is null but {type.Name} cannot be null");
        }

        try
        {
            return node.Deserialize(type, JsonSerializerOptions.Web);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new FunctionArgumentException(
                $"function '{function}': argument '{name}' cannot be read as {type.Name}: {ex.Message}");
        }
    }
}
