namespace Weft.Services;

/// <summary>Every background service of one engine, listed in one place (the engine's constructor
/// builds the list): started in order, stopped in the same order, each once. The order is the
/// shutdown's: what makes new work (schedules) stops before what runs it (the dispatcher), and what
/// records it (the journal writer) after both.</summary>
internal sealed class EngineServices
{
    private readonly IEngineService[] _services;
    private int _started;
    private int _stopped;

    public EngineServices(IEnumerable<IEngineService?> services) => _services = [.. services.OfType<IEngineService>()];

    /// <summary>The services, in start and stop order.</summary>
    public IReadOnlyList<IEngineService> All => _services;

    public void StartAll()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        foreach (var service in _services)
        {
            service.Start();
        }
    }

    /// <summary>Stops each service in order, the next one even if one failed (that one's error is
    /// thrown at the end); a second call returns at once.</summary>
    public async Task StopAllAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        List<Exception>? errors = null;
        foreach (var service in _services)
        {
            try
            {
                await service.StopAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(new InvalidOperationException($"stopping {service.Name} failed: {ex.Message}", ex));
            }
        }

        if (errors is not null)
        {
            throw new AggregateException(errors);
        }
    }
}
