using Weft.Sqlite;

namespace Weft.Storage.Tests;

/// <summary>A database path in a fresh temporary directory, removed (with -wal and -shm) on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "weft-store-" + Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Directory, "nested", "weft.db");
    }

    public string Directory { get; }

    /// <summary>Inside a directory that does not exist yet: opening the store creates it.</summary>
    public string Path { get; }

    public SqliteStoreOptions Options(byte[]? key = null, int threshold = 1024) =>
        new() { Path = Path, EncryptionKey = key, CompressionThreshold = threshold };

    /// <summary>The database file and its WAL, as bytes on disk (read after the store is closed).</summary>
    public byte[] FileBytes()
    {
        var wal = Path + "-wal";
        return [.. File.ReadAllBytes(Path), .. File.Exists(wal) ? File.ReadAllBytes(wal) : []];
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
