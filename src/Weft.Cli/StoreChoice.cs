using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Cli;

internal enum StoreKind
{
    Memory,
    Sqlite,
}

/// <summary>Which store <c>--store</c> (or <c>WEFT_STORE</c>) names: <c>memory</c>, <c>sqlite</c>
/// (the default file <c>.weft/weft.db</c> under the current directory) or <c>sqlite:PATH</c>.
/// PostgreSQL joins with the cluster issue.</summary>
internal sealed record StoreChoice(StoreKind Kind, string? Path)
{
    public const string Memory = "memory";
    public const string Variable = "WEFT_STORE";
    public const string DefaultSqlitePath = ".weft/weft.db";

    /// <summary>Kept for callers that print the default; null means "WEFT_STORE, else sqlite".</summary>
    public const string? Default = null;

    public string Describe() => Kind == StoreKind.Memory ? Memory : $"sqlite:{Path}";

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
        error = text.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || text.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            ? $"store '{Redact(text)}'{source}: the PostgreSQL store is not available yet; use sqlite:PATH or memory"
            : $"unknown store '{Redact(text)}'{source}; use memory, sqlite or sqlite:PATH";
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

        return await SqliteStore.OpenAsync(
            new SqliteStoreOptions { Path = Path!, EncryptionKey = EncryptionKey.FromEnvironment() },
            cancellationToken).ConfigureAwait(false);
    }

    // A connection string may carry a password; never echo it.
    private static string Redact(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "(://[^:/@]+:)[^@]*@|(Password=)[^;]*", m => m.Groups[1].Success ? m.Groups[1].Value + "***@" : m.Groups[2].Value + "***");
}
