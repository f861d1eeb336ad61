using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Weft.Server.Api;

/// <summary>The optional body of <c>POST /api/runs/{id}/retry</c>: <c>{"tasks": ["load"]}</c> retries
/// those failed tasks and what depends on them; no body (or no <c>tasks</c>) retries the whole run.</summary>
internal sealed record RetryRequest(IReadOnlyList<string?>? Tasks = null)
{
    /// <summary>The chosen task ids (null for the whole run), or a 400 naming what is wrong with the body.</summary>
    public static async Task<(IReadOnlyList<string>? Tasks, IResult? Problem)> ReadTasksAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.ContentLength is 0 || !context.Request.HasJsonContentType())
        {
            return (null, null);
        }

        RetryRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<RetryRequest>(ct).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            var where = $"line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}";
            return ex.InnerException is JsonException || ex.Path is null or "$"
                ? (null, Problems.Field("body", $"the body is not valid JSON ({where}); send {{\"tasks\": [\"task\"]}} or no body"))
                : (null, Problems.Field("tasks", $"'tasks' must be a list of task ids such as [\"load\"] ({where})"));
        }

        if (request?.Tasks is not { } tasks)
        {
            return (null, null);
        }

        if (tasks.Count == 0)
        {
            return (null, Problems.Field("tasks", "name at least one task to retry, or send no body to retry the whole run"));
        }

        if (tasks.Any(string.IsNullOrWhiteSpace))
        {
            return (null, Problems.Field("tasks", "a task id must not be empty"));
        }

        return ([.. tasks.Distinct(StringComparer.Ordinal)!], null);
    }
}
