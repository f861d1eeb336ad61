using Weft.Postgres;
using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Cli;

internal enum StoreKind
{
    Memory,
    Sqlite,

    /// <summary>A PostgreSQL cluster store: <c>postgres://…</c>, <c>postgresql://…</c> or <c>Host=…;…</c>.</summary>
    Postgres,
}

/// <summary>Which store <c>--store</c> (or <c>WEFT_STORE</c>) names: <c>memory</c>, <c>sqlite</c>
/// (the default file <c>.weft/weft.db</c> under the current directory), <c>sqlite:PATH</c>, or a
/// PostgreSQL cluster (<c>postgres://user:pass@host:5432/db?schema=weft</c> or the Npgsql keyword
/// form); <see cref="Path"/> then holds the connection string.</summary>
internal sealed record StoreChoice(StoreKind Kind, string? Path)
{
    public const string Memory = "memory";
    public const string Variable = "WEFT_STORE";
    public const string DefaultSqlitePath = ".weft/weft.db";

    /// <summary>Kept for callers that print the default; null means "WEFT_STORE, else sqlite".</summary>
    public const string? Default = null;

    public string Describe() => Kind switch
    {
        StoreKind.Memory => Memory,
        StoreKind.Postgres => PostgresConnection.TryParse(Path!, out var c, out _) ? c.ToString() : "postgres",
        _ => $"sqlite:{Path}",
    };

    /// <summary>True for a store that coordinates a cluster (scheduler and worker processes).</summary>
    public bool IsCluster => Kind == StoreKind.Postgres;

    /// <summary>Parses <paramref name="value"/> (null: <c>WEFT_STORE</c>, else the default SQLite file).</summary>
    public static StoreChoice? TryParse(string? value, out string? error)
    {
        error = null;
        var text = value ?? Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text) || text.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return new StoreChoice(StoreKind.Sqlite, DefaultSqlitePath);
        }

        if (text.Equals(Memory, StringComparison.OrdinalIgnoreCase))
        {
            return new StoreChoice(StoreKind.Memory, null);
        }

        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            if (path.Length > 0)
            {
                return new StoreChoice(StoreKind.Sqlite, path);
            }
        }

        var source = value is null ? $" (from {Variable})" : "";
        if (text.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || text.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            if (PostgresConnection.TryParse(text, out _, out var problem))
            {
                return new StoreChoice(StoreKind.Postgres, text);
            }

            error = $"store '{Redact(text)}'{source}: {problem}";
            return null;
        }

        error = $"unknown store '{Redact(text)}'{source}; use memory, sqlite, sqlite:PATH or postgres://user:pass@host:5432/db";
        return null;
    }

    /// <summary>Null when <paramref name="name"/> is usable, else the message to show.</summary>
    public static string? Check(string? name)
    {
        TryParse(name, out var error);
        return error;
    }

    /// <summary>Opens the store. Throws <see cref="WeftStoreException"/> with a message for users
    /// (bad key, a database from a newer weft, a file that is not a database).</summary>
    public async Task<IWeftStore> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Kind == StoreKind.Memory)
        {
            return new MemoryStore();
        }

        if (Kind == StoreKind.Postgres)
        {
            try
            {
                return await PostgresStore.OpenAsync(
                    new PostgresStoreOptions { ConnectionString = Path!, EncryptionKey = EncryptionKey.FromEnvironment() },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (WeftConfigurationException ex)
            {
                throw new WeftStoreException(string.Join("; ", ex.Errors));
            }
        }

        if (PathProblem() is { } problem)
        {
            throw new WeftStoreException(problem);
        }

        return await SqliteStore.OpenAsync(
            new SqliteStoreOptions { Path = Path!, EncryptionKey = EncryptionKey.FromEnvironment() },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why a SQLite path cannot be the store, found before SQLite sees it; null when it can
    /// (or for other stores). A directory is not a database; a file in a directory that does not
    /// exist is a typo, not a request to create directories: only the default <c>.weft/</c> is made.</summary>
    public string? PathProblem()
    {
        if (Kind != StoreKind.Sqlite)
        {
            return null;
        }

        var full = System.IO.Path.GetFullPath(Path!);
        if (Directory.Exists(full))
        {
            return $"the store sqlite:{Path} is a directory ({full}), not a database file; name a file in it, e.g. sqlite:{System.IO.Path.Combine(Path!, "weft.db")}";
        }

        var directory = System.IO.Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory) && Path != DefaultSqlitePath)
        {
            return $"the store sqlite:{Path} cannot be created: the directory {directory} does not exist (create it first)";
        }

        return null;
    }

    // A connection string may carry a password; never echo it.
    private static string Redact(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "(://[^:/@]+:)[^@]*@|(Password=)[^;]*", m => m.Groups[1].Success ? m.Groups[1].Value + "***@" : m.Groups[2].Value + "***");
}
