using Weft.Definitions;
using Weft.Handlers;

namespace Weft;

// COMPILE SHIM, NOT THE ENGINE. Weft.Core has no WeftEngine yet on the branch this bench was written
// on (it is being written in parallel), yet the bench must compile against its agreed signatures.
// Weft.Bench.csproj drops this folder as soon as src/Weft.Core/Engine/WeftEngine.cs exists; if the
// engine lands under another file name the build fails with CS0436 naming this file: delete the folder.
internal sealed class WeftEngine : IAsyncDisposable
{
    private WeftEngine()
    {
    }

    public FunctionRegistry Functions => throw new NotImplementedException();

    public static WeftEngine Create(Action<WeftOptions> configure) =>
        throw new NotImplementedException("WeftEngine is not implemented on this branch");

    public ValueTask<RunHandle> SubmitAsync(
        WorkflowDefinition definition,
        IReadOnlyDictionary<string, string>? parameters = null,
        SubmitOptions? options = null,
        CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
