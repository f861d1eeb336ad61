namespace Weft.Storage;

/// <summary>The store could not do what was asked: the database is unreachable, locked, full,
/// corrupt or newer than this weft, or stored data cannot be read back (encrypted without a key,
/// or with another key). The message names the store (a file path, a server) and says what to do.</summary>
public sealed class WeftStoreException : Exception
{
    public WeftStoreException(string message)
        : base(message)
    {
    }

    public WeftStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
