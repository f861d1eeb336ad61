namespace Weft;

// COMPILE SHIM, see WeftEngine.cs in this folder: removed once Weft.Core provides the real one.
internal sealed class RunHandle
{
    private RunHandle()
    {
    }

    public string RunId => throw new NotImplementedException();

    public Task<RunSnapshot> WaitAsync(CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
