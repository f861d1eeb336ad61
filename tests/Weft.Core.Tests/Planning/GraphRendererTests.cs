using Weft.Definitions;
using Weft.Planning;

namespace Weft.Tests.Planning;

public sealed class GraphRendererTests
{
    private static TaskDefinition Task(string id, params string[] dependsOn) =>
        new(id, NoopSpec.Instance) { DependsOn = dependsOn };

    // extract → (clean, enrich) → load; enrich is a long sleep so the critical path goes through it.
    private static ExecutionPlan Etl() => ExecutionPlan.Compile(new WorkflowDefinition("etl",
    [
        Task("extract"),
        Task("clean", "extract"),
        new TaskDefinition("enrich", new SleepSpec(TimeSpan.FromSeconds(5))) { DependsOn = ["extract"] },
        Task("load", "clean", "enrich"),
    ]));

    [Fact]
    public void Text_ListsLevelsThenCriticalPath() =>
        Assert.Equal(
            "Level 0: [extract]\n" +
            "Level 1: [clean, enrich]\n" +
            "Level 2: [load]\n" +
            "Critical path: extract → enrich → load\n",
            GraphRenderer.Text(Etl()));

    [Fact]
    public void Text_IndependentTasks_ShareLevelZero() =>
        Assert.StartsWith(
            "Level 0: [a, b, c]\n",
            GraphRenderer.Text(ExecutionPlan.Compile(new WorkflowDefinition("flat", [Task("a"), Task("b"), Task("c")]))),
            StringComparison.Ordinal);

    [Fact]
    public void Text_EmptyWorkflow_HasNoCriticalPath() =>
        Assert.Equal("Critical path: (none)\n", GraphRenderer.Text(ExecutionPlan.Compile(new WorkflowDefinition("empty", []))));

    [Fact]
    public void Mermaid_DeclaresNodesThenEdges() =>
        Assert.Equal(
            "graph TD\n" +
            "    extract[\"extract\"]\n" +
            "    clean[\"clean\"]\n" +
            "    enrich[\"enrich\"]\n" +
            "    load[\"load\"]\n" +
            "    extract --> clean\n" +
            "    extract --> enrich\n" +
            "    clean --> load\n" +
            "    enrich --> load\n",
            GraphRenderer.Mermaid(Etl()));

    [Fact]
    public void Mermaid_IdsMermaidCannotTakeBare_GetIndexIdsAndKeepTheirLabel()
    {
        var plan = ExecutionPlan.Compile(new WorkflowDefinition("odd", [Task("fetch-data"), Task("end", "fetch-data"), Task("say \"hi\"", "end")]));

        Assert.Equal(
            "graph TD\n" +
            "    t0[\"fetch-data\"]\n" +
            "    t1[\"end\"]\n" +
            "    t2[\"say #quot;hi#quot;\"]\n" +
            "    t0 --> t1\n" +
            "    t1 --> t2\n",
            GraphRenderer.Mermaid(plan));
    }

    [Fact]
    public void Dot_IsADigraphNamedAfterTheWorkflow() =>
        Assert.Equal(
            "digraph \"etl\" {\n" +
            "    rankdir=TB;\n" +
            "    node [shape=box];\n" +
            "    \"extract\";\n" +
            "    \"clean\";\n" +
            "    \"enrich\";\n" +
            "    \"load\";\n" +
            "    \"extract\" -> \"clean\";\n" +
            "    \"extract\" -> \"enrich\";\n" +
            "    \"clean\" -> \"load\";\n" +
            "    \"enrich\" -> \"load\";\n" +
            "}\n",
            GraphRenderer.Dot(Etl()));

    [Fact]
    public void Dot_QuotesAndBackslashes_AreEscaped()
    {
        var plan = ExecutionPlan.Compile(new WorkflowDefinition("a \"b\"", [Task("c\\d")]));

        var dot = GraphRenderer.Dot(plan);

        Assert.StartsWith("digraph \"a \\\"b\\\"\" {\n", dot, StringComparison.Ordinal);
        Assert.Contains("    \"c\\\\d\";\n", dot, StringComparison.Ordinal);
    }
}
