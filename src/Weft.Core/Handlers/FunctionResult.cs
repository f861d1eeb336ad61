using System.Reflection;

namespace Weft.Handlers;

/// <summary>Awaits what a bound method returned: void, T, Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;,
/// chosen once per method from its declared return type so each call does no type inspection.</summary>
internal static class FunctionResult
{
    public static Func<object?, ValueTask<object?>> UnwrapperFor(Type returnType)
    {
        if (returnType == typeof(void))
        {
            return static _ => ValueTask.FromResult<object?>(null);
        }

        if (returnType == typeof(Task))
        {
            return static async result =>
            {
                await ((Task)result!).ConfigureAwait(false);
                return null;
            };
        }

        if (returnType == typeof(ValueTask))
        {
            return static async result =>
            {
                await ((ValueTask)result!).ConfigureAwait(false);
                return null;
            };
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var resultProperty = returnType.GetProperty(nameof(Task<object>.Result))!;
            return async result =>
            {
                var task = (Task)result!;
                await task.ConfigureAwait(false);
                return resultProperty.GetValue(task);
            };
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            // Boxed ValueTask<T> cannot be awaited without knowing T: convert it to its Task<T>.
            var asTask = returnType.GetMethod(nameof(ValueTask<object>.AsTask), BindingFlags.Public | BindingFlags.Instance)!;
            var resultProperty = asTask.ReturnType.GetProperty(nameof(Task<object>.Result))!;
            return async result =>
            {
                var task = (Task)asTask.Invoke(result, BindingFlags.DoNotWrapExceptions, null, null, null)!;
                await task.ConfigureAwait(false);
                return resultProperty.GetValue(task);
            };
        }

        return static result => ValueTask.FromResult(result);
    }
}
