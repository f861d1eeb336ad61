namespace Weft.Cluster;

/// <summary>Leadership held through one <see cref="MemoryClusterStore"/> handle. It is lost (and
/// <see cref="Lost"/> fires) when that handle is disposed, like a PostgreSQL advisory lock whose
/// connection closed.</summary>
internal sealed class MemoryLeadership(MemoryClusterStore handle, MemoryClusterData data) : ILeadership
{
    private readonly CancellationTokenSource _lost = new();

    public MemoryClusterStore Handle { get; } = handle;

    public CancellationToken Lost => _lost.Token;

    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>The handle closed under the holder.</summary>
    public async ValueTask LoseAsync()
    {
        Release();
        await _lost.CancelAsync().ConfigureAwait(false);
    }

    private void Release()
    {
        lock (data.Gate)
        {
            if (data.Leader == this)
            {
                data.Leader = null;
            }
        }
    }
}
