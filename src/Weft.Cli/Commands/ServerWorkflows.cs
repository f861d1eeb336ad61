using Weft.Registry;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft server --workflows DIR</c>: registers every workflow file of a folder before the
/// server starts, so their schedules run. Every bad file is reported (file:line:col) and nothing starts.</summary>
internal static class ServerWorkflows
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static async Task<bool> RegisterAllAsync(string folder, WorkflowRegistry registry, CliIo io, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            io.Error.WriteLine($"error: --workflows: folder '{folder}' not found");
            return false;
        }

        var files = Directory.EnumerateFiles(folder).Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        var loaded = files.Select(f => (File: f, Result: WorkflowFile.Load(f, registry.LoadOptions))).ToList();
        foreach (var error in loaded.SelectMany(l => l.Result.Errors))
        {
            io.Error.WriteLine(error.ToString());
        }

        if (loaded.Any(l => l.Result.Definition is null))
        {
            return false;
        }

        foreach (var (file, result) in loaded)
        {
            // Upsert by name: the same text again is the version it already is, not a new one.
            RegisteredWorkflow version;
            try
            {
                var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                (version, _) = await registry.RegisterAsync(result.Definition!, text, Path.GetFileName(file), cancellationToken).ConfigureAwait(false);
            }
            catch (WeftStoreException ex)
            {
                io.Error.WriteLine($"error: --workflows: cannot register {file}: {ex.Message}");
                return false;
            }

            io.Out.WriteLine($"registered {version.Name} v{version.Version}{(result.Definition!.Schedule is { } s ? $" (schedule {s.Cron})" : "")}");
        }

        return true;
    }
}
