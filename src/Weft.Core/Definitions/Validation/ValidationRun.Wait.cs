using System.Globalization;
using Weft.Definitions.Loading;
using Weft.Templates;

namespace Weft.Definitions.Validation;

/// <summary><c>wait:</c> one form (a signal, a time, or a sensor's request and condition), sane
/// durations, a time that parses when it is written out, and a condition that parses and reads only
/// the response, declared params and upstream tasks.</summary>
internal sealed partial class ValidationRun
{
    private void CheckWait(int i, WaitSpec wait)
    {
        var task = _def.Tasks[i];
        var id = task.Id;
        var place = Place(i, FieldPaths.Wait) ?? Place(i, FieldPaths.Kind);
        if (task.Map is not null)
        {
            Error(place, $"task '{id}' has both 'map' and 'wait'; a map task cannot wait (put the wait in a task of its own)");
        }

        if (wait.Signal is not null && (wait.Until is not null || wait.Http is not null))
        {
            Error(Place(i, FieldPaths.WaitSignal) ?? place, $"'wait' in task '{id}' has 'signal' and '{(wait.Http is not null ? "http" : "until")}'; a wait is for a signal, a time ('until') or a condition ('http' with 'until'), one of them");
            return;
        }

        if (wait.Signal is null && wait.Until is null)
        {
            Error(place, wait.Http is null
                ? $"'wait' in task '{id}' needs 'signal' (a name), 'until' (a time) or 'http' with 'until' (a condition)"
                : $"'wait' with 'http' in task '{id}' needs 'until': the condition on the response that ends the wait, e.g. \"{{{{ response.json.status == 'done' }}}}\"");
            return;
        }

        if (wait.Signal is { } signal && string.IsNullOrWhiteSpace(signal))
        {
            Error(Place(i, FieldPaths.WaitSignal) ?? place, $"'signal' of 'wait' in task '{id}' must not be empty");
        }

        if (wait.Http is null && (wait.Every != WaitSpec.DefaultEvery || _map?.Find(i, FieldPaths.WaitEvery) is not null))
        {
            Error(Place(i, FieldPaths.WaitEvery), $"'every' of 'wait' in task '{id}' applies to a sensor ('http' with 'until') only");
        }

        if (wait.Every <= TimeSpan.Zero || Durations.TooLong("every", wait.Every) is not null)
        {
            Error(Place(i, FieldPaths.WaitEvery) ?? place, $"'every' of 'wait' in task '{id}' must be more than 0 and at most {Durations.MaximumText}, not {Durations.Format(wait.Every)}");
        }

        if (wait.Timeout is { } timeout && (timeout <= TimeSpan.Zero || Durations.TooLong("timeout", timeout) is not null))
        {
            Error(Place(i, FieldPaths.WaitTimeout) ?? place, $"'timeout' of 'wait' in task '{id}' must be more than 0 and at most {Durations.MaximumText}, not {Durations.Format(timeout)}");
        }

        if (wait.Http is { } http)
        {
            CheckHttp(i, http);
            CheckCondition(i, id, wait.Until!);
        }
        else if (wait.Until is { } until && !Template.MayContainReferences(until) && WaitTimes.Parse(until) is null)
        {
            Error(Place(i, FieldPaths.WaitUntil) ?? place, $"'until' of 'wait' in task '{id}' must be a point in time such as 2026-12-03T22:00:00Z (or a template giving one), not '{until}'");
        }
    }

    private void CheckCondition(int i, string id, string text)
    {
        if (WaitCondition.Parse(text, out var error, out var offset) is not { } condition)
        {
            Error(Place(i, FieldPaths.WaitUntil, offset), $"the condition of 'wait' in task '{id}' does not parse: {error}");
            return;
        }

        HashSet<int>? upstream = null;
        foreach (var (path, at) in condition.Paths)
        {
            var place = Place(i, FieldPaths.WaitUntil, at);
            var shown = string.Join('.', path);
            switch (path[0])
            {
                case "response" when path.Length < 2 || path[1] is not ("status" or "body" or "json") || (path[1] != "json" && path.Length > 2):
                    Error(place, $"the condition of 'wait' in task '{id}' reads '{shown}'; a response has status, body and json.FIELD");
                    break;
                case "params" when path.Length != 2:
                    Error(place, $"the condition of 'wait' in task '{id}' reads '{shown}'; write params.NAME");
                    break;
                case "params":
                    _paramNames ??= _def.Params.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                    if (!_paramNames.Contains(path[1]))
                    {
                        Error(place, $"the condition of 'wait' in task '{id}' names unknown param '{path[1]}'{_hints.Hint(path[1], _paramNames)}");
                    }

                    break;
                case "run" when path is not [_, "id"]:
                    Error(place, $"the condition of 'wait' in task '{id}' reads '{shown}'; the run has only run.id");
                    break;
                case "tasks" when path.Length < 3 || path[2] != "output":
                    Error(place, $"the condition of 'wait' in task '{id}' reads '{shown}'; write tasks.ID.output or tasks.ID.output.FIELD");
                    break;
                case "tasks":
                    if (!_index.TryGetValue(path[1], out var target))
                    {
                        Error(place, $"the condition of 'wait' in task '{id}' names unknown task '{path[1]}'{_hints.Hint(path[1], _index.Keys)}");
                    }
                    else if (!(upstream ??= Upstream(i)).Contains(target))
                    {
                        Error(place, $"the condition of 'wait' in task '{id}' names task '{path[1]}', which is not upstream of '{id}'");
                    }

                    break;
            }
        }
    }
}

/// <summary>The points in time a <c>wait: { until }</c> accepts: ISO 8601 with an offset or Z (a
/// time without one is UTC).</summary>
internal static class WaitTimes
{
    public static DateTimeOffset? Parse(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var at)
            ? at
            : null;
}
