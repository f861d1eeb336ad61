using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Weft.Handlers;

/// <summary>Named C# functions that <c>function:</c> tasks call. Thread-safe.
/// <para>Registering a name twice throws <see cref="ArgumentException"/> rather than replacing: two
/// assemblies defining the same name is almost always a mistake, and silently running the wrong one
/// would be worse than failing at start-up. Names are case-sensitive.</para></summary>
public sealed class FunctionRegistry
{
    private readonly ConcurrentDictionary<string, Func<JsonObject?, CancellationToken, ValueTask<object?>>> _functions =
        new(StringComparer.Ordinal);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyCollection<string> Names => [.. _functions.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers the general form: arguments (the task's <c>with:</c>, templates rendered) and a
    /// token that fires on timeout or cancellation. The return value becomes the output (JSON; a string as text).</summary>
    public void Register(string name, Func<JsonObject?, CancellationToken, ValueTask<object?>> function)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(function);
        if (!_functions.TryAdd(name, function))
        {
            throw new ArgumentException($"a function named '{name}' is already registered", nameof(name));
        }
    }

    /// <summary>Registers an asynchronous function that returns a <see cref="Task{TResult}"/>.</summary>
    /// <remarks>An <c>async (args, ct) =&gt; ...</c> lambda fits both this and the <see cref="ValueTask{TResult}"/>
    /// form; the priority picks this one instead of making every such call ambiguous.</remarks>
    [OverloadResolutionPriority(1)]
    public void Register(string name, Func<JsonObject?, CancellationToken, Task<object?>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Register(name, (args, token) => new ValueTask<object?>(function(args, token)));
    }

    /// <summary>Registers a synchronous function that ignores cancellation (it should be quick).</summary>
    public void Register(string name, Func<JsonObject?, object?> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Register(name, (args, _) => ValueTask.FromResult(function(args)));
    }

    /// <summary>Registers a typed function: <typeparamref name="TIn"/> is read from <c>with:</c> with
    /// System.Text.Json web defaults (a field that does not fit fails the task, naming the field), and the
    /// returned <typeparamref name="TOut"/> becomes the output (a string as text, anything else as JSON).</summary>
    public void Register<TIn, TOut>(string name, Func<TIn, CancellationToken, ValueTask<TOut>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Register(name, async (args, token) => await function(TypedInput.Read<TIn>(args, name), token).ConfigureAwait(false));
    }

    /// <summary>True when a function named <paramref name="name"/> is registered (names are case-sensitive).</summary>
    public bool Contains(string name) => _functions.ContainsKey(name);

    /// <summary>Registers every public static method of <paramref name="assembly"/> marked <see cref="WeftFunctionAttribute"/>.
    /// Parameters are bound from the arguments by name (see <see cref="FunctionBinder"/>). All or nothing:
    /// when one method cannot be registered, none is. Returns how many were registered.</summary>
    public int RegisterAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var found = new List<(string Name, MethodInfo Method)>();
        foreach (var type in LoadableTypes(assembly))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<WeftFunctionAttribute>() is { } attribute)
                {
                    found.Add((attribute.Name, method));
                }
            }
        }

        var bound = new List<(string Name, Func<JsonObject?, CancellationToken, ValueTask<object?>> Function)>(found.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, method) in found)
        {
            ValidateName(name);
            if (!seen.Add(name) || Contains(name))
            {
                throw new ArgumentException($"a function named '{name}' is already registered ({method.DeclaringType}.{method.Name})", nameof(assembly));
            }

            bound.Add((name, FunctionBinder.Bind(method, name)));
        }

        foreach (var (name, function) in bound)
        {
            Register(name, function);
        }

        return bound.Count;
    }

    internal bool TryGet(string name, [MaybeNullWhen(false)] out Func<JsonObject?, CancellationToken, ValueTask<object?>> function) =>
        _functions.TryGetValue(name, out function);

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a function name must not be empty", nameof(name));
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            // A type whose dependency is missing cannot hold a callable function; the rest can.
            return ex.Types.OfType<Type>();
        }
    }
}
