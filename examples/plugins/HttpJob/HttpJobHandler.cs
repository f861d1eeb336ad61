using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Examples.HttpJob;

/// <summary>The <c>httpjob</c> kind: starts a job on an HTTP service and waits for it, the way an
/// adapter to n8n, Langflow or an in-house engine would.
/// <code>
/// deploy:
///   httpjob:
///     start: "{{ params.base }}/jobs"          # POST; the service answers {"id": "..."}
///     body: { app: "{{ params.app }}" }         # optional JSON body of the POST
///     status: "{{ params.base }}/jobs/{id}"    # GET until {"state": "done"} or {"state": "failed"}
///     every: 2s                                 # how often to ask (default 2s)
/// </code>
/// The output is the finished job's <c>result</c> (its whole answer when it has none); a failed job
/// fails the task with its <c>error</c>. The task's timeout and the run's cancellation end the wait.</summary>
public sealed class HttpJobHandler : ITaskHandler
{
    private static readonly HttpClient Client = new();

    public string Kind => "httpjob";

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        if (invocation.Spec is not CustomSpec { Value: JsonObject spec })
        {
            return TaskOutcome.Failed("httpjob: expected a mapping with start, status and optionally body and every");
        }

        if (Text(spec, "start", invocation) is not { } start || Text(spec, "status", invocation) is not { } status)
        {
            return TaskOutcome.Failed("httpjob: 'start' and 'status' are required");
        }

        var every = TimeSpan.FromSeconds(2);
        if (spec["every"]?.ToString() is { } text && Interval(text) is not { } interval)
        {
            return TaskOutcome.Failed($"httpjob: 'every' must be like 500ms or 2s, not '{text}'");
        }
        else if (spec["every"] is not null)
        {
            every = Interval(spec["every"]!.ToString())!.Value;
        }

        var token = invocation.CancellationToken;
        using var started = await Client.PostAsync(start, JsonContent.Create(Render(spec["body"], invocation) ?? new JsonObject()), token);
        if (!started.IsSuccessStatusCode)
        {
            return TaskOutcome.Failed($"httpjob: starting the job answered {(int)started.StatusCode}", httpStatus: (int)started.StatusCode);
        }

        var id = (await started.Content.ReadFromJsonAsync<JsonObject>(token))?["id"]?.ToString();
        if (string.IsNullOrEmpty(id))
        {
            return TaskOutcome.Failed("httpjob: the service did not say the job's id");
        }

        var url = status.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal);
        while (true)
        {
            var answer = await Client.GetFromJsonAsync<JsonObject>(url, token);
            switch (answer?["state"]?.ToString())
            {
                case "done":
                    return TaskOutcome.Succeeded((answer["result"] ?? answer).ToJsonString());
                case "failed":
                    return TaskOutcome.Failed($"httpjob: job {id} failed: {answer["error"]?.ToString() ?? "no reason given"}");
            }

            await Task.Delay(every, invocation.TimeProvider, token);
        }
    }

    private static TimeSpan? Interval(string text) =>
        text.EndsWith("ms", StringComparison.Ordinal) && int.TryParse(text[..^2], out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms)
        : text.EndsWith('s') && int.TryParse(text[..^1], out var s) && s > 0 ? TimeSpan.FromSeconds(s)
        : null;

    private static string? Text(JsonObject spec, string name, TaskInvocation invocation) =>
        spec[name] is JsonValue value && value.TryGetValue<string>(out var text) ? invocation.Render(text) : null;

    // Templates in the body's strings are rendered into those strings, so a value cannot add fields.
    private static JsonNode? Render(JsonNode? node, TaskInvocation invocation) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Render(p.Value, invocation)))),
        JsonArray array => new JsonArray([.. array.Select(item => Render(item, invocation))]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(invocation.Render(text)),
        _ => node?.DeepClone(),
    };
}
