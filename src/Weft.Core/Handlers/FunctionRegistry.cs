using System.Reflection;
using System.Text.Json.Nodes;

namespace Weft.Handlers;

/// <summary>Named C# functions that <c>function:</c> tasks call. Thread-safe.</summary>
public sealed class FunctionRegistry
{
    /// <summary>Registers the general form: arguments (the task's <c>with:</c>, templates rendered) and a
    /// token that fires on timeout or cancellation. The return value becomes the output (JSON; a string as text).</summary>
    public void Register(string name, Func<JsonObject?, CancellationToken, ValueTask<object?>> function) => throw new NotImplementedException();

    public bool Contains(string name) => throw new NotImplementedException();

    public IReadOnlyCollection<string> Names => throw new NotImplementedException();

    /// <summary>Registers every public static method of <paramref name="assembly"/> marked <see cref="WeftFunctionAttribute"/>.</summary>
    public int RegisterAssembly(Assembly assembly) => throw new NotImplementedException();
}
