using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>Turns a SQLite or file-system failure into a <see cref="WeftStoreException"/> that names
/// the database file and says what is likely wrong.</summary>
internal static class StoreError
{
    // Primary result codes (https://www.sqlite.org/rescode.html).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADb = 26;

    public static WeftStoreException From(Exception e, string path, string doing)
    {
        var why = e is SqliteException s ? (s.SqliteErrorCode & 0xFF) switch
        {
            Busy or Locked => "the database is locked by another process for longer than the busy timeout",
            ReadOnly => "the database is read-only (check the file's permissions)",
            IoErr => "a disk I/O error occurred",
            Corrupt => "the database file is corrupt",
            Full => "the disk is full",
            CantOpen => "the file cannot be opened (check the path and permissions)",
            NotADb => "the file is not a SQLite database",
            _ => s.Message,
        } : e.Message;
        return new WeftStoreException($"the store at {path} failed to {doing}: {why}", e)
        {
            IsTransient = e is SqliteException { SqliteErrorCode: var code } && (code & 0xFF) is Busy or Locked,
        };
    }
}
