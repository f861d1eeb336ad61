namespace Weft.Storage;

/// <summary>The store could not do what was asked: the database is unreachable, locked, full,
/// corrupt or newer than this weft, or stored data cannot be read back (encrypted without a key,
/// or with another key). The message names the store (a file path, a server) and says what to do.</summary>
public sealed class WeftStoreException : Exception
{
    /// <summary>A store failure described by <paramref name="message"/> (naming the store and what to do).</summary>
    public WeftStoreException(string message)
        : base(message)
    {
    }

    /// <summary>A store failure described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public WeftStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the store is unreachable or busy for now (a database server restarting, a
    /// lock another process holds) and the same request may succeed later: the engine's journal
    /// writer keeps retrying those. Any other failure (a full disk, a read-only or corrupt file) stops
    /// the engine recording, and the runs it could not record fail their waiters with it.</summary>
    public bool IsTransient { get; init; }
}
