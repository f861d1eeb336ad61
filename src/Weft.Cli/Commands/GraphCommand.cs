using System.CommandLine;
using Weft.Planning;

namespace Weft.Cli.Commands;

/// <summary><c>weft graph FILE [--format text|mermaid|dot]</c>: the compiled plan, as levels and
/// critical path, a Mermaid flowchart or a GraphViz digraph.</summary>
internal static class GraphCommand
{
    public static readonly string[] Formats = ["text", "mermaid", "dot"];

    public static Command Create(CliIo io)
    {
        var file = new Argument<string>("FILE") { Description = "The workflow file (YAML or JSON)." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (levels and critical path), mermaid or dot.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong(Formats);
        var command = new Command("graph", """
            Show the dependency graph of a workflow: the levels of tasks that can run together and the
            critical path, or the graph as Mermaid or GraphViz DOT.

            Examples:
              weft graph flow.yaml
              weft graph flow.yaml --format mermaid > flow.mmd
              weft graph flow.yaml --format dot | dot -Tsvg > flow.svg
            """)
        {
            file,
            format,
        };
        command.SetAction(result => Execute(result.GetRequiredValue(file), result.GetValue(format) ?? "text", io));
        return command;
    }

    public static int Execute(string path, string format, CliIo io)
    {
        if (WorkflowFile.LoadOrReport(path, io.Error) is not { } definition)
        {
            return ExitCodes.InvalidInput;
        }

        io.Out.Write(Render(ExecutionPlan.Compile(definition), format));
        return ExitCodes.Succeeded;
    }

    public static string Render(ExecutionPlan plan, string format) => format switch
    {
        "mermaid" => GraphRenderer.Mermaid(plan),
        "dot" => GraphRenderer.Dot(plan),
        _ => GraphRenderer.Text(plan),
    };
}
