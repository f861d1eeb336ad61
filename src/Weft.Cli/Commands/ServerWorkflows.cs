using Weft.Server.Workflows;

namespace Weft.Cli.Commands;

/// <summary><c>weft server --workflows DIR</c>: registers every workflow file of a folder before the
/// server starts, so their schedules run. Every bad file is reported (file:line:col) and nothing starts.</summary>
internal static class ServerWorkflows
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static bool RegisterAll(string folder, WorkflowRegistry registry, CliIo io)
    {
        if (!Directory.Exists(folder))
        {
            io.Error.WriteLine($"error: --workflows: folder '{folder}' not found");
            return false;
        }

        var files = Directory.EnumerateFiles(folder).Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        var loaded = files.Select(f => (File: f, Result: WorkflowFile.Load(f))).ToList();
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
            var (version, _) = registry.Register(result.Definition!, File.ReadAllText(file));
            io.Out.WriteLine($"registered {version.Name} v{version.Version}{(result.Definition!.Schedule is { } s ? $" (schedule {s.Cron})" : "")}");
        }

        return true;
    }
}
