using Weft.Definitions;
using Weft.Storage;
using Weft.Tests.Definitions;
using Weft.Tests.Mapping;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ChildWorkflows;

/// <summary>An engine with the "echo" kind, a way to register workflows from text, and the reads the child
/// workflow tests share: a run's child runs, and a run once the store has it final.</summary>
internal sealed class ChildHarness : IAsyncDisposable
{
    public ChildHarness(int workers = 2, Action<WeftOptions>? configure = null)
    {
        Harness = new EngineHarness(workers, o =>
        {
            o.Handlers.Add(Echo);
            configure?.Invoke(o);
        });
    }

    public EchoHandler Echo { get; } = new();

    public EngineHarness Harness { get; }

    public WeftEngine Engine => Harness.Engine;

    public static WorkflowDefinition Parse(string yaml, string file = "flow.yaml") =>
        WorkflowLoader.Parse(Loading.Text(yaml), file, new WorkflowLoadOptions { ExtraKinds = ["echo"] });

    public async Task RegisterAsync(string yaml) => await Engine.Workflows.RegisterAsync(Loading.Text(yaml), "registered.yaml");

    public async Task<IReadOnlyList<RunSummary>> ChildrenOfAsync(string runId) =>
        [.. (await Engine.Store.ListRunsAsync(new RunQuery { ParentRunId = runId })).OrderBy(r => r.SubmittedAt).ThenBy(r => r.TriggeredBy, StringComparer.Ordinal)];

    public async Task<RunSummary> ChildOfAsync(string runId)
    {
        await EngineHarness.WaitUntilAsync(async () => (await ChildrenOfAsync(runId)).Count > 0);
        return (await ChildrenOfAsync(runId))[0];
    }

    public static TaskSnapshot Task(RunSnapshot run, string id) => run.Tasks.Single(t => t.TaskId == id);

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
