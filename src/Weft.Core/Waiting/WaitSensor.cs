using System.Text.Json;
using Weft.Coordination;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Templates;

namespace Weft.Waiting;

/// <summary>Sends a sensor's polls (<c>wait: { http, until, every }</c>) outside the engine's lock and
/// reports each back to the scheduler. A poll is one HTTP request through the engine's <c>http</c>
/// handler (same client, templates, limits) and one evaluation of the condition; between polls the
/// task holds nothing but a timer.</summary>
internal sealed class WaitSensor(Coordinator coordinator, ITaskHandler http, TimeProvider time, int outputLimit)
{
    /// <summary>A poll's longest wait for its response when its request sets no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultPollTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Starts one poll and returns at once (it may be called under the lock).</summary>
    public void Start(RunExecution run, int task, ActiveWait wait) => _ = PollAsync(run, task, wait);

    private async Task PollAsync(RunExecution run, int task, ActiveWait wait)
    {
        await Task.Yield(); // never send under the caller's lock
        SensorPoll poll;
        try
        {
            poll = await SendAsync(run, task, wait).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            poll = new SensorPoll(false, null, null, ex.Message);
        }

        coordinator.Step((run, task, wait, poll), static (s, a) => s.SensorPolled(a.run, a.task, a.wait, a.poll));
    }

    private async Task<SensorPoll> SendAsync(RunExecution run, int task, ActiveWait wait)
    {
        var spec = wait.Spec.Http!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token);
        timeout.CancelAfter(spec.Timeout ?? DefaultPollTimeout);
        var outcome = await http.ExecuteAsync(new TaskInvocation
        {
            RunId = run.RunId,
            WorkflowName = run.WorkflowName,
            TaskId = run.TaskId(task),
            Attempt = Math.Max(1, run.Slots[task].Attempts),
            Spec = spec with { ExpectStatus = spec.ExpectStatus ?? AnyStatus },
            CancellationToken = timeout.Token,
            TimeProvider = time,
            OutputLimit = outputLimit,
            Values = run.ValuesFor(task),
        }).ConfigureAwait(false);

        if (outcome.HttpStatus is null && !outcome.IsSuccess)
        {
            return new SensorPoll(false, null, null, outcome.Error ?? "the request failed");
        }

        var condition = wait.Condition ??= WaitCondition.Parse(wait.Spec.Until!, out var error, out _)
            ?? throw new InvalidOperationException($"the condition does not parse: {error}");
        var response = new Response(outcome.HttpStatus, outcome.Output);
        var matched = condition.Evaluate(path => Resolve(run, task, path, response));
        return new SensorPoll(matched, outcome.HttpStatus, outcome.Output, matched || outcome.IsSuccess ? null : outcome.Error);
    }

    // Every status is a response to look at: the condition decides (a 404 may mean "not yet").
    private static readonly IReadOnlyList<int> AnyStatus = [.. Enumerable.Range(100, 500)];

    private static JsonElement? Resolve(RunExecution run, int task, string[] path, Response response)
    {
        try
        {
            switch (path[0])
            {
                case "response":
                    return response.Read(path);
                case "params" when path.Length == 2:
                    return Text(run.ValuesFor(task).Resolve(new TemplateReference(TemplateReferenceKind.Param, path[1], [], 0, 0)));
                case "run":
                    return Text(run.RunId);
                case "tasks" when path.Length >= 3:
                    return Text(run.ValuesFor(task).Resolve(new TemplateReference(TemplateReferenceKind.TaskOutput, path[1], path[3..], 0, 0)));
                default:
                    return null;
            }
        }
        catch (TemplateResolutionException)
        {
            return null; // a field that is not there does not match
        }
    }

    private static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value);

    private sealed class Response(int? status, string? body)
    {
        private JsonElement? _json;
        private bool _parsed;

        public JsonElement? Read(string[] path)
        {
            switch (path[1])
            {
                case "status":
                    return status is { } s ? JsonSerializer.SerializeToElement(s) : null;
                case "body":
                    return body is null ? null : Text(body);
                case "json":
                    return Navigate(Json(), path.AsSpan(2));
                default:
                    return null;
            }
        }

        private JsonElement? Json()
        {
            if (!_parsed)
            {
                _parsed = true;
                try
                {
                    _json = body is null ? null : JsonDocument.Parse(body).RootElement;
                }
                catch (JsonException)
                {
                    _json = null; // not JSON: every response.json path is null
                }
            }

            return _json;
        }

        private static JsonElement? Navigate(JsonElement? root, ReadOnlySpan<string> path)
        {
            if (root is not { } element)
            {
                return null;
            }

            foreach (var member in path)
            {
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(member, out var next))
                {
                    element = next;
                }
                else if (element.ValueKind == JsonValueKind.Array && int.TryParse(member, out var i) && i >= 0 && i < element.GetArrayLength())
                {
                    element = element[i];
                }
                else
                {
                    return null;
                }
            }

            return element;
        }
    }
}
