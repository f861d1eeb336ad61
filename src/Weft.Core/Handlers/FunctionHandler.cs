using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Handlers;

/// <summary>Runs <see cref="FunctionSpec"/> tasks: calls a function of the <see cref="FunctionRegistry"/>
/// with the rendered <c>with:</c> arguments. Output: a string as text, null as no output, anything
/// else as JSON (web defaults: camelCase). User code's exceptions become failed outcomes here,
/// reported as <c>Type: message</c> without a stack trace.</summary>
internal sealed class FunctionHandler(FunctionRegistry registry) : ITaskHandler
{
    public string Kind => "function";

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        var spec = (FunctionSpec)invocation.Spec;
        if (!registry.TryGet(spec.Name, out var function))
        {
            return TaskOutcome.Failed($"no function named '{spec.Name}' is registered");
        }

        var token = invocation.CancellationToken;
        object? result;
        try
        {
            var args = FunctionArguments.Render(spec.With, invocation);
            result = await function(args, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var cause = Innermost(ex);
            return cause switch
            {
                OperationCanceledException when token.IsCancellationRequested => TaskOutcome.Cancelled(),
                FunctionArgumentException or TemplateResolutionException => TaskOutcome.Failed(cause.Message),
                _ => TaskOutcome.Failed($"{cause.GetType().Name}: {cause.Message}"),
            };
        }

        return ToOutput(spec.Name, result, invocation.OutputLimit);
    }

    private static TaskOutcome ToOutput(string name, object? result, int limit)
    {
        string text;
        try
        {
            text = result switch
            {
                null => string.Empty,
                string s => s,
                JsonNode node => node.ToJsonString(),
                _ => JsonSerializer.Serialize(result, result.GetType(), JsonSerializerOptions.Web),
            };
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return TaskOutcome.Failed($"function '{name}' returned a {result!.GetType().Name} that cannot be written as JSON: {ex.Message}");
        }

        if (result is null)
        {
            return TaskOutcome.Success;
        }

        var output = OutputLimit.Apply(text, limit, out var truncated);
        return TaskOutcome.Succeeded(output, truncated);
    }

    /// <summary>The exception that says what went wrong: reflection and Task.Wait wrap it.</summary>
    private static Exception Innermost(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    break;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    exception = aggregate.InnerExceptions[0];
                    break;
                default:
                    return exception;
            }
        }
    }
}
