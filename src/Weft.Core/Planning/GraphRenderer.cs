using System.Text;
using System.Text.RegularExpressions;

namespace Weft.Planning;

/// <summary>Writes an <see cref="ExecutionPlan"/> as text (levels and critical path), Mermaid or
/// GraphViz DOT, for <c>weft graph</c>. Output is deterministic: tasks in definition order, edges by
/// parent then child index. Lines end with '\n' on every platform.</summary>
internal static partial class GraphRenderer
{
    // Words Mermaid reads as keywords when used as a bare node id.
    private static readonly HashSet<string> MermaidKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "end", "graph", "subgraph", "flowchart", "style", "class", "classDef", "click", "linkStyle", "direction", "default",
    };

    /// <summary><c>Level 0: [extract]</c> lines, then <c>Critical path: a → b → c</c>.</summary>
    public static string Text(ExecutionPlan plan)
    {
        var sb = new StringBuilder();
        for (var level = 0; level < plan.Levels.Length; level++)
        {
            sb.Append("Level ").Append(level).Append(": [")
                .AppendJoin(", ", plan.Levels[level].Select(i => plan.TaskIds[i]))
                .Append("]\n");
        }

        sb.Append("Critical path: ");
        sb.Append(plan.CriticalPath.Length == 0 ? "(none)" : string.Join(" → ", plan.CriticalPath.Select(i => plan.TaskIds[i])));
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>A Mermaid flowchart: <c>graph TD</c>, one node line per task, then the edges.</summary>
    public static string Mermaid(ExecutionPlan plan)
    {
        var ids = new string[plan.Count];
        for (var i = 0; i < plan.Count; i++)
        {
            var id = plan.TaskIds[i];
            ids[i] = MermaidSafeId().IsMatch(id) && !MermaidKeywords.Contains(id) ? id : "t" + i;
        }

        var sb = new StringBuilder("graph TD\n");
        for (var i = 0; i < plan.Count; i++)
        {
            sb.Append("    ").Append(ids[i]).Append("[\"").Append(MermaidLabel(plan.TaskIds[i])).Append("\"]\n");
        }

        for (var i = 0; i < plan.Count; i++)
        {
            foreach (var child in plan.ChildrenOf(i))
            {
                sb.Append("    ").Append(ids[i]).Append(" --> ").Append(ids[child]).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>A GraphViz digraph named after the workflow: <c>digraph "name" { ... }</c>.</summary>
    public static string Dot(ExecutionPlan plan)
    {
        var sb = new StringBuilder();
        sb.Append("digraph ").Append(DotString(plan.Definition.Name)).Append(" {\n");
        sb.Append("    rankdir=TB;\n");
        sb.Append("    node [shape=box];\n");
        for (var i = 0; i < plan.Count; i++)
        {
            sb.Append("    ").Append(DotString(plan.TaskIds[i])).Append(";\n");
        }

        for (var i = 0; i < plan.Count; i++)
        {
            foreach (var child in plan.ChildrenOf(i))
            {
                sb.Append("    ").Append(DotString(plan.TaskIds[i])).Append(" -> ").Append(DotString(plan.TaskIds[child])).Append(";\n");
            }
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private static string DotString(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string MermaidLabel(string value) => value.Replace("\"", "#quot;", StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex MermaidSafeId();
}
