namespace Weft;

/// <summary>The pool of one named SQL connection in this process, as <c>weft status</c> and
/// <c>/metrics</c> show it. Counts since the process started.</summary>
/// <param name="Name">The connection's name, as tasks give it.</param>
/// <param name="Provider">postgres, mysql or sqlite.</param>
public sealed record ConnectionPoolStatus(string Name, string Provider)
{
    /// <summary>The most connections the pool holds at once.</summary>
    public int MaxConnections { get; init; }

    /// <summary>Connections lent to tasks now.</summary>
    public int InUse { get; init; }

    /// <summary>Tasks waiting for a connection now.</summary>
    public int Waiting { get; init; }

    /// <summary>Tasks that took a connection from the pool.</summary>
    public long Leases { get; init; }

    /// <summary>Connections opened to the database (a pooled connection reused is not opened again);
    /// null when the provider does not tell (SQLite).</summary>
    public long? Opened { get; init; }
}

/// <summary>A task handler that holds connection pools, for the engine's status and metrics.</summary>
internal interface IConnectionPoolReporter
{
    IReadOnlyList<ConnectionPoolStatus> ConnectionPools();
}
