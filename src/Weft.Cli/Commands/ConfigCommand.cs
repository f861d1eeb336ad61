using System.CommandLine;
using System.Text.Json;
using Weft.Configuration;

namespace Weft.Cli.Commands;

/// <summary><c>weft config show [--json]</c> and <c>weft config validate</c>: the effective configuration
/// with where each value came from, and a check of it (exit 0 or 2).</summary>
internal static class ConfigCommand
{
    public static Command Create(CliIo io)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document: the file and every value with its source." };
        var show = new Command("show", """
            Print the effective configuration: every option, its value (secrets masked) and where it came
            from (default, FILE:LINE, env WEFT__…, flag). Exit code: 0, or 2 when the configuration is invalid.

            Examples:
              weft config show
              weft config show --config prod.yaml --json
              WEFT__POOL__MAXWORKERS=32 weft config show
            """) { json };
        show.SetAction(result => Show(result, result.GetValue(json), io));
        var validate = new Command("validate", """
            Check the configuration (file, WEFT__ variables): exit 0 when valid, 2 with every error
            (FILE:LINE:COL, the option and what is allowed) otherwise.

            Examples:
              weft config validate
              weft config validate --config deploy/weft.yaml
            """);
        validate.SetAction(result => Validate(result, io));
        return new Command("config", "Show or check the configuration (weft.yaml, WEFT__ variables); see docs/CONFIGURATION.md.") { show, validate };
    }

    private static int Validate(ParseResult result, CliIo io)
    {
        if (CliConfiguration.Load(result, io.Error) is not { } configuration)
        {
            return ExitCodes.InvalidInput;
        }

        io.Out.WriteLine(configuration.FilePath is { } file
            ? $"ok: {file} is valid"
            : "ok: no configuration file (weft.yaml, weft.yml, weft.json here, or $WEFT_CONFIG); the defaults and WEFT__ variables are valid");
        return ExitCodes.Succeeded;
    }

    private static int Show(ParseResult result, bool json, CliIo io)
    {
        if (CliConfiguration.Load(result, io.Error) is not { } configuration)
        {
            return ExitCodes.InvalidInput;
        }

        var entries = configuration.Describe();
        if (json)
        {
            var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("file", configuration.FilePath);
                w.WriteStartArray("values");
                foreach (var e in entries)
                {
                    w.WriteStartObject();
                    w.WriteString("path", e.Path);
                    w.WriteString("value", e.Value);
                    w.WriteString("source", e.Source);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            io.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return ExitCodes.Succeeded;
        }

        io.Out.WriteLine($"# configuration file: {configuration.FilePath ?? "none"}");
        var pathWidth = entries.Max(e => e.Path.Length);
        var valueWidth = Math.Min(40, entries.Max(e => e.Value.Length));
        foreach (var e in entries)
        {
            io.Out.WriteLine($"{e.Path.PadRight(pathWidth)}  {e.Value.PadRight(valueWidth)}  {e.Source}");
        }

        return ExitCodes.Succeeded;
    }
}
