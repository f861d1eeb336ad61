using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Weft.Definitions;

namespace Weft.Cli.Commands;

/// <summary><c>weft validate FILE [--json]</c>: exit 0 when valid, 2 with every error otherwise.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string>("FILE") { Description = "The workflow file (YAML or JSON)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: {\"file\",\"valid\",\"tasks\",\"errors\",\"warnings\"}." };
        var plugin = Plugins.PluginOption.Create();
        var command = new Command("validate", """
            Check a workflow file without running it; every error is listed with file:line:column.

            Examples:
              weft validate flow.yaml
              weft validate flow.yaml --json
              weft validate flow.yaml --plugin plugins/MyKinds.dll     (a plug-in's kinds are known)
            """)
        {
            file,
            json,
            plugin,
        };
        command.SetAction(result => Execute(result.GetRequiredValue(file), result.GetValue(json), io, result.GetValue(plugin) ?? []));
        return command;
    }

    public static int Execute(string path, bool json, CliIo io, IReadOnlyList<string>? plugins = null)
    {
        WorkflowLoadOptions? options = null;
        if (plugins is { Count: > 0 })
        {
            if (Plugins.PluginSet.Load(plugins, Names.BuiltInKinds, io.Error) is not { } loaded)
            {
                return ExitCodes.InvalidInput;
            }

            options = new WorkflowLoadOptions { ExtraKinds = loaded.Kinds };
        }

        var result = WorkflowFile.Load(path, options);
        if (json)
        {
            io.Out.WriteLine(ToJson(path, result));
        }
        else if (result.Definition is { } definition)
        {
            foreach (var warning in result.Warnings)
            {
                io.Error.WriteLine(warning.ToString());
            }

            io.Out.WriteLine($"✓ {path}: valid ({definition.Tasks.Count} tasks)");
        }
        else
        {
            foreach (var error in result.Errors)
            {
                io.Error.WriteLine(error.ToString());
            }
        }

        return result.Definition is null ? ExitCodes.InvalidInput : ExitCodes.Succeeded;
    }

    /// <summary><c>{"file","valid","tasks","errors":[{"file","line","column","message"}],"warnings":[same]}</c>
    /// (warnings, messages starting "warning: ", do not make a file invalid); an invalid
    /// file has "tasks": 0 (the loader returns no definition to count) and errors without a place have
    /// "line"/"column" null and the checked file as "file".</summary>
    public static string ToJson(string path, WorkflowLoadResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("file", path);
            writer.WriteBoolean("valid", result.Definition is not null);
            writer.WriteNumber("tasks", result.Definition?.Tasks.Count ?? 0);
            writer.WriteStartArray("errors");
            foreach (var error in result.Errors)
            {
                WriteError(writer, path, error);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("warnings");
            foreach (var warning in result.Warnings)
            {
                WriteError(writer, path, warning);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteError(Utf8JsonWriter writer, string path, WorkflowError error)
    {
        writer.WriteStartObject();
        writer.WriteString("file", error.Location?.File ?? path);
        if (error.Location is { } location)
        {
            writer.WriteNumber("line", location.Line);
            writer.WriteNumber("column", location.Column);
        }
        else
        {
            writer.WriteNull("line");
            writer.WriteNull("column");
        }

        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
    }
}
