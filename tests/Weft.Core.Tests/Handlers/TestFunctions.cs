using System.Text.Json.Nodes;

namespace Weft.Tests.Handlers;

/// <summary>Functions found by <c>FunctionRegistry.RegisterAssembly</c> in the test assembly.</summary>
public static class TestFunctions
{
    public const string Prefix = "handlers-test.";

    [WeftFunction(Prefix + "add")]
    public static int Add(int a, int b) => a + b;

    [WeftFunction(Prefix + "greet")]
    public static string Greet(string name, string greeting = "Hello") => $"{greeting}, {name}!";

    [WeftFunction(Prefix + "all-args")]
    public static string AllArgs(JsonObject args) => string.Join(",", args.Select(kv => kv.Key).Order(StringComparer.Ordinal));

    [WeftFunction(Prefix + "task-of-t")]
    public static async Task<Point> TaskOfT(int x, int y, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return new Point(x, y);
    }

    [WeftFunction(Prefix + "value-task-of-t")]
    public static ValueTask<string[]> ValueTaskOfT(string[] items) => ValueTask.FromResult(items.Reverse().ToArray());

    [WeftFunction(Prefix + "value-task")]
    public static ValueTask ValueTaskVoid() => ValueTask.CompletedTask;

    [WeftFunction(Prefix + "task")]
    public static Task PlainTask() => Task.CompletedTask;

    [WeftFunction(Prefix + "void")]
    public static void Nothing(int? optional = null, int withDefault = default)
    {
        _ = optional;
        _ = withDefault;
    }

    [WeftFunction(Prefix + "throws")]
    public static int Throws(string message) => throw new InvalidOperationException(message);

    [WeftFunction(Prefix + "throws-async")]
    public static async Task<int> ThrowsAsync()
    {
        await Task.Yield();
        throw new FormatException("bad format");
    }

    /// <summary>Waits until the token fires: stands for long-running user code.</summary>
    [WeftFunction(Prefix + "wait-for-cancel")]
    public static async Task WaitForCancel(CancellationToken cancellationToken) =>
        await Task.Delay(Timeout.Infinite, cancellationToken);

    /// <summary>Not registered: private.</summary>
    [WeftFunction(Prefix + "private")]
    private static int Hidden() => 0;

    public sealed record Point(int X, int Y);

    internal static int UseHidden() => Hidden();
}
