namespace Weft;

/// <summary>Marks a public static method as a function that <c>function: NAME</c> tasks may call
/// when its assembly is loaded with <c>weft run --assembly</c>; on an <see cref="IWeftFunction{TIn, TOut}"/>
/// class, names the function that <c>AddFunction&lt;T&gt;()</c> adds.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class WeftFunctionAttribute(string name) : Attribute
{
    /// <summary>The name workflows call the function by (<c>function: NAME</c>).</summary>
    public string Name { get; } = name;
}
