using System.Text.Json.Nodes;

namespace Weft.Definitions;

public sealed class TaskBuilder
{
    internal TaskBuilder(string id) => throw new NotImplementedException();

    public TaskBuilder Shell(string command, IReadOnlyList<string>? args = null, string? workDir = null, IReadOnlyDictionary<string, string>? env = null) => throw new NotImplementedException();
    public TaskBuilder Http(string method, string url, string? body = null, IReadOnlyDictionary<string, string>? headers = null) => throw new NotImplementedException();
    public TaskBuilder Function(string name, JsonObject? with = null) => throw new NotImplementedException();
    public TaskBuilder Sleep(TimeSpan duration) => throw new NotImplementedException();
    public TaskBuilder Noop() => throw new NotImplementedException();
    public TaskBuilder Kind(TaskSpec spec) => throw new NotImplementedException();
    public TaskBuilder DependsOn(params string[] ids) => throw new NotImplementedException();
    public TaskBuilder Timeout(TimeSpan timeout) => throw new NotImplementedException();
    public TaskBuilder Retry(RetryPolicy policy) => throw new NotImplementedException();
    public TaskBuilder Priority(TaskPriority priority) => throw new NotImplementedException();
    public TaskBuilder Trigger(TriggerRule rule) => throw new NotImplementedException();
}
