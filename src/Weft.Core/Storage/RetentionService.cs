using Weft.Coordination;
using Weft.Services;

namespace Weft.Storage;

/// <summary>Purges finished runs older than <see cref="WeftOptions.Retention"/> from a durable store, at
/// start and every hour, on the engine's clock (a test advances a fake clock instead of waiting).</summary>
internal sealed class RetentionService(Coordinator coordinator, IWeftStore store, WeftOptions options) : TimerService(options.TimeProvider)
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);
    private long _purged;

    public override string Name => "retention";

    protected override TimeSpan FirstTick => TimeSpan.Zero;

    protected override TimeSpan Period => PurgeEvery;

    protected override bool Enabled => store.IsDurable && options.Retention is not null;

    /// <summary>Runs purged since the engine started.</summary>
    public long Purged => Interlocked.Read(ref _purged);

    protected override Task Tick() => coordinator.Stopping ? Task.CompletedTask : PurgeOnceAsync();

    private async Task PurgeOnceAsync()
    {
        try
        {
            var purged = await store.PurgeAsync(Time.GetUtcNow() - options.Retention!.Value).ConfigureAwait(false);
            Interlocked.Add(ref _purged, purged);
        }
        catch (Exception ex)
        {
            // Retention is housekeeping: a failure shows in status and is tried again next hour.
            coordinator.StoreError = $"retention purge failed: {ex.Message}";
        }
    }
}
