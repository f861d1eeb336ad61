using System.CommandLine;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft db migrate [--store …]</c>: creates or upgrades the store's schema (what
/// <c>weft server</c> also does at start), so a deployment can migrate before starting anything.</summary>
internal static class DbCommand
{
    public static Command Create(CliIo io)
    {
        var store = new Option<string?>("--store")
        {
            Description = $"The store to migrate: postgres://…, sqlite:PATH or sqlite. Default: ${StoreChoice.Variable}, else sqlite.",
            HelpName = "STORE",
        };
        var migrate = new Command("migrate", """
            Create or upgrade the store's schema to this version of weft. A store written by a newer
            weft is refused, unchanged. Exit code 0 when the schema is current.

            Examples:
              weft db migrate --store postgres://weft:secret@db:5432/weft
              weft db migrate --store "postgres://weft@db/weft?schema=team_a"
            """)
        {
            store,
        };
        migrate.SetAction((result, ct) => MigrateAsync(result.GetValue(store), io, ct));
        return new Command("db", "Manage the store's database schema.") { migrate };
    }

    private static async Task<int> MigrateAsync(string? storeText, CliIo io, CancellationToken ct)
    {
        if (StoreChoice.TryParse(storeText, out var problem) is not { } choice)
        {
            io.Error.WriteLine($"error: {problem}");
            return ExitCodes.InvalidInput;
        }

        if (choice.Kind == StoreKind.Memory)
        {
            io.Error.WriteLine("error: the memory store has no schema to migrate");
            return ExitCodes.InvalidInput;
        }

        try
        {
            // Opening a store creates or migrates its schema (and refuses a newer one).
            var opened = await choice.OpenAsync(ct).ConfigureAwait(false);
            await opened.DisposeAsync().ConfigureAwait(false);
        }
        catch (WeftStoreException ex)
        {
            io.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        io.Out.WriteLine($"schema of {choice.Describe()} is current");
        return ExitCodes.Succeeded;
    }
}
