namespace Weft.Nats;

/// <summary>Doubling pauses (50 ms to 5 s) while a NATS server is away.</summary>
internal sealed class Backoff
{
    public TimeSpan Next { get; private set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits the next pause; false when <paramref name="token"/> fired meanwhile.</summary>
    public async Task<bool> WaitAsync(CancellationToken token)
    {
        try
        {
            // Real time on purpose: a real server's recovery, whatever the engine's clock.
            await Task.Delay(Next, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        Next = TimeSpan.FromTicks(Math.Min(Next.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        return true;
    }
}
