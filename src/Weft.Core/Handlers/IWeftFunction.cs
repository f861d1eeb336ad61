namespace Weft;

/// <summary>A typed function that <c>function: NAME</c> tasks call: <typeparamref name="TIn"/> is read
/// from the task's <c>with:</c> (templates rendered) with System.Text.Json web defaults (camelCase, numbers
/// also from strings), and the returned <typeparamref name="TOut"/> becomes the task's output (a string as
/// text, anything else as JSON). Registered with <c>AddWeft(weft =&gt; weft.AddFunction&lt;T&gt;())</c>,
/// which creates an instance from the container in a scope of its own for every call.</summary>
/// <typeparam name="TIn">The input, bound from <c>with:</c>; a field that does not fit fails the task with its name.</typeparam>
/// <typeparam name="TOut">The output.</typeparam>
public interface IWeftFunction<in TIn, TOut>
{
    /// <summary>Runs the function once. <paramref name="cancellationToken"/> fires on the task's timeout
    /// or the run's cancellation.</summary>
    ValueTask<TOut> RunAsync(TIn input, CancellationToken cancellationToken);
}
