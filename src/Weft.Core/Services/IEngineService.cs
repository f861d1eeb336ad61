namespace Weft.Services;

/// <summary>A background part of the engine with one start/stop contract: a loop or timer that the
/// engine starts once and stops once at shutdown, in the order <see cref="EngineServices"/> lists.
/// Stopping twice, or stopping one never started, is safe.</summary>
internal interface IEngineService
{
    /// <summary>What it is, for logs and for the list in docs/ARCHITECTURE.md.</summary>
    string Name { get; }

    /// <summary>Starts its loop or timer; returns at once.</summary>
    void Start();

    /// <summary>Stops it and waits for work in flight to end.</summary>
    Task StopAsync();
}
