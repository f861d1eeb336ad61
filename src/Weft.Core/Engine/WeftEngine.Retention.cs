namespace Weft;

public sealed partial class WeftEngine
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);
    private ITimer? _purgeTimer;
    private Task _purging = Task.CompletedTask;

    /// <summary>Runs purged by retention since the engine started.</summary>
    public long RunsPurged { get; private set; }

    // Purges on the engine's clock, so a test advances a fake clock instead of waiting an hour.
    private void StartRetention()
    {
        if (!_durable || _options.Retention is null)
        {
            return;
        }

        _purgeTimer = _time.CreateTimer(static s => ((WeftEngine)s!).PurgeInBackground(), this, TimeSpan.Zero, PurgeEvery);
    }

    private void PurgeInBackground()
    {
        lock (_gate)
        {
            if (_stopping || !_purging.IsCompleted)
            {
                return;
            }

            _purging = PurgeOnceAsync();
        }
    }

    private async Task PurgeOnceAsync()
    {
        try
        {
            var purged = await _store.PurgeAsync(_time.GetUtcNow() - _options.Retention!.Value).ConfigureAwait(false);
            RunsPurged += purged;
        }
        catch (Exception ex)
        {
            // Retention is housekeeping: a failure shows in status and is tried again next hour.
            StoreError = $"retention purge failed: {ex.Message}";
        }
    }

    private async Task StopRetentionAsync()
    {
        if (_purgeTimer is not null)
        {
            await _purgeTimer.DisposeAsync().ConfigureAwait(false);
        }

        Task purging;
        lock (_gate)
        {
            purging = _purging;
        }

        await purging.ConfigureAwait(false);
    }
}
