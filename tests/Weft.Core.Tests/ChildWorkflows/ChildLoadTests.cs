using Weft.Definitions;
using Weft.Storage;

namespace Weft.Tests.ChildWorkflows;

/// <summary>A child named by path is read and validated with the file that names it: relative to its
/// directory, with its parameters checked, a missing file or a cycle of files refused at file:line:col,
/// and its definition stored with the parent's.</summary>
public sealed class ChildLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-child-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml.ReplaceLineEndings("\n"));
        return path;
    }

    private static WorkflowDefinition Load(string path) =>
        WorkflowLoader.LoadFile(path, new WorkflowLoadOptions { ExtraKinds = ["echo"] });

    [Fact]
    public void AChildByPath_IsLoadedRelativeToTheFile_AndKeptWithTheTask()
    {
        Write("flows/load.yaml", """
            name: load-region
            params:
              region: { required: true }
            tasks:
              extract: { echo: "{{ params.region }}" }
            """);
        var parent = Load(Write("parent.yaml", """
            name: parent
            tasks:
              load:
                workflow: flows/load.yaml
                params: { region: eu }
            """));

        var spec = Assert.IsType<ChildWorkflowSpec>(parent.Tasks[0].Spec);
        Assert.Equal("flows/load.yaml", spec.Workflow);
        Assert.Equal("load-region", spec.Definition!.Name);
        Assert.Equal("eu", spec.Params["region"]);
    }

    [Fact]
    public void ACycleOfFiles_IsRefusedWhereItCloses()
    {
        var a = Write("a.yaml", """
            name: a
            tasks:
              to_b: { workflow: b.yaml }
            """);
        Write("b.yaml", """
            name: b
            tasks:
              first: { echo: hi }
              to_a: { workflow: ./a.yaml }
            """);

        var ex = Assert.Throws<WorkflowValidationException>(() => Load(a));

        Assert.Equal(
            [$"{a}:3:21: 'workflow' in task 'to_b': 'b.yaml' is not a valid workflow (1 error below)",
             $"{Path.Combine(_dir, "b.yaml")}:4:21: 'workflow' in task 'to_a' makes a cycle of workflows: a.yaml → b.yaml → a.yaml"],
            ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void AWorkflowNamingItsOwnFile_IsACycle()
    {
        var self = Write("self.yaml", """
            name: self
            tasks:
              again: { workflow: self.yaml }
            """);

        var ex = Assert.Throws<WorkflowValidationException>(() => Load(self));

        Assert.Equal($"{self}:3:22: 'workflow' in task 'again' makes a cycle of workflows: self.yaml → self.yaml", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void AMissingFile_UndeclaredAndMissingParams_AndParamsOnAnotherKind_AreErrorsAtTheirPlaces()
    {
        Write("child.yaml", """
            name: child
            params:
              region: { required: true }
              size: { default: "3" }
            tasks:
              go: { echo: "{{ params.region }}" }
            """);
        var parent = Write("parent.yaml", """
            name: parent
            tasks:
              missing: { workflow: nowhere/flow.yaml }
              wrong:
                workflow: child.yaml
                params:
                  sise: "4"
              shell_with_params:
                echo: hi
                params: { x: y }
            """);

        var ex = Assert.Throws<WorkflowValidationException>(() => Load(parent));

        Assert.Equal(
            [$"{parent}:3:24: 'workflow' in task 'missing': no workflow file at {Path.Combine(_dir, "nowhere", "flow.yaml")}",
             $"{parent}:6:5: task 'wrong' runs workflow 'child', which requires parameter 'region'; give it in 'params'",
             $"{parent}:7:13: 'params' in task 'wrong' gives 'sise', which workflow 'child' does not declare (it declares 'region' and 'size') (did you mean 'size'?)",
             $"{parent}:10:5: 'params' in task 'shell_with_params' is only for workflow tasks (the run's own parameters are declared at the top of the file)"],
            ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void AParamsTemplate_IsCheckedLikeAnyOther()
    {
        var parent = Write("parent.yaml", """
            name: parent
            tasks:
              sub:
                workflow: registered-one
                params: { region: "{{ params.nope }}" }
            """);

        var ex = Assert.Throws<WorkflowValidationException>(() => Load(parent));

        Assert.Contains(ex.Errors, e => e.Location!.Line == 5 && e.Message.Contains("nope", StringComparison.Ordinal));
    }

    [Fact]
    public void TheStoredForm_KeepsTheChildsDefinition()
    {
        Write("child.yaml", """
            name: child
            tasks:
              go: { echo: "went" }
            """);
        var parent = Load(Write("parent.yaml", """
            name: parent
            tasks:
              sub: { workflow: child.yaml, params: {} }
              reg: { workflow: registered-one }
            """));

        var json = DefinitionJson.Write(parent);
        File.Delete(Path.Combine(_dir, "child.yaml"));
        var back = WorkflowLoader.Parse(json, "stored.json", new WorkflowLoadOptions { ExtraKinds = ["echo"] });

        Assert.Equal(json, DefinitionJson.Write(back));
        var sub = Assert.IsType<ChildWorkflowSpec>(back.Tasks[0].Spec);
        Assert.Equal("child.yaml", sub.Workflow);
        Assert.Equal("child", sub.Definition!.Name);
        Assert.Equal("go", Assert.Single(sub.Definition.Tasks).Id);
        var reg = Assert.IsType<ChildWorkflowSpec>(back.Tasks[1].Spec);
        Assert.Null(reg.Definition);
        Assert.Contains("\"workflow\":\"registered-one\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokenChildNamedTwice_HasItsErrorsReportedOnce()
    {
        var child = Write("child.yaml", """
            name: child
            tasks:
              go: { echo: hi, dependsOn: nowhere }
            """);
        var parent = Write("parent.yaml", """
            name: parent
            tasks:
              one: { workflow: child.yaml }
              two: { workflow: child.yaml }
            """);

        var ex = Assert.Throws<WorkflowValidationException>(() => Load(parent));

        Assert.Equal(
            [$"{parent}:3:20: 'workflow' in task 'one': 'child.yaml' is not a valid workflow (1 error below)",
             $"{child}:3:30: task 'go' depends on unknown task 'nowhere'",
             $"{parent}:4:20: 'workflow' in task 'two': 'child.yaml' is not a valid workflow (see above)"],
            ex.Errors.Select(e => e.ToString()));
    }
}
