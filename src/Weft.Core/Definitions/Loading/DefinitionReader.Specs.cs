namespace Weft.Definitions.Loading;

/// <summary>Reading the kind of a task: the value under its kind key.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] ShellFields = ["command", "args", "workdir", "env"];
    private static readonly string[] HttpFields = ["method", "url", "headers", "body", "json", "expectStatus", "timeout"];

    private TaskSpec? ReadSpec(int index, string id, DocEntry kind)
    {
        var ctx = $"in task '{id}'";
        var value = kind.Value;
        switch (kind.Key.Text)
        {
            case "shell":
                return ReadShell(index, value, ctx);
            case "http":
                return ReadHttp(index, value, ctx);
            case "sql":
                return ReadSql(index, value, ctx);
            case "container":
                return ReadContainer(index, value, ctx);
            case "wait":
                return ReadWait(index, value, ctx);
            case "workflow":
                return ReadChildWorkflow(index, value, ctx);
            case "function":
                var name = Text(value, $"'function' {ctx}");
                return name is null ? null : new FunctionSpec(name);
            case "sleep":
                if (Duration(value, "sleep") is not { } duration)
                {
                    return null;
                }

                if (Durations.TooLong("sleep", duration) is { } tooLong)
                {
                    Error(value.Location, $"{tooLong} {ctx}");
                }

                return new SleepSpec(duration);
            case "noop":
                if (value is DocScalar { IsNull: true } or DocScalar { Type: ScalarType.Bool, Text: "true" } or DocMapping { Entries.Count: 0 })
                {
                    return NoopSpec.Instance;
                }

                Error(value.Location, $"'noop' {ctx} takes no value; write 'noop: {{}}'");
                return null;
            default:
                return new CustomSpec(kind.Key.Text, ToJson(value, index, kind.Key.Text));
        }
    }

    private ShellSpec? ReadShell(int index, DocNode value, string ctx)
    {
        if (value is DocScalar)
        {
            AddPlace(index, "shell.command", value);
            return Text(value, $"'shell' {ctx}") is { } cmd ? new ShellSpec(cmd) : null;
        }

        if (value is not DocMapping map)
        {
            Error(value.Location, $"'shell' {ctx} must be a command or a mapping with {Names.List(ShellFields)}, not {value.Describe}");
            return null;
        }

        var f = Fields(map, $"of 'shell' {ctx}", ShellFields);
        if (!f.TryGetValue("command", out var c))
        {
            Error(map.Location, $"'shell' {ctx} has no 'command'");
            return null;
        }

        AddPlace(index, "shell.command", c.Value);
        var command = Text(c.Value, $"'command' {ctx}");
        var spec = new ShellSpec(command ?? string.Empty)
        {
            Args = f.TryGetValue("args", out var a) ? TextList(index, "shell.args", a.Value, $"'args' {ctx}") : null,
            WorkDir = f.TryGetValue("workdir", out var w) ? Text(w.Value, $"'workdir' {ctx}") : null,
            Env = f.TryGetValue("env", out var e) ? TextMap(index, "shell.env", e.Value, $"'env' {ctx}") : null,
        };
        if (w.Value is not null)
        {
            AddPlace(index, "shell.workdir", w.Value);
        }

        return command is null ? null : spec;
    }

    private HttpSpec? ReadHttp(int index, DocNode value, string ctx)
    {
        if (value is DocScalar scalar)
        {
            if (Text(value, $"'http' {ctx}") is not { } text)
            {
                return null;
            }

            // "METHOD URL [BODY]", or just "URL" for a GET.
            var form = HttpShortForm.Parse(text);
            Map.Add(index, "http.url", scalar, form.UrlStart);
            Map.Add(index, "http.method", scalar, form.MethodStart);
            var shortSpec = new HttpSpec(form.Method.ToUpperInvariant(), form.Url);
            if (form.Body is not { } shortBody)
            {
                return shortSpec;
            }

            // A JSON body is kept as JSON, so template values in it are JSON-escaped and it is sent
            // as application/json, as with 'json:'; any other body is text.
            if (ShortFormJson(shortBody) is { } json)
            {
                Map.Add(index, "http.json", scalar, form.BodyStart);
                return shortSpec with { Json = json };
            }

            Map.Add(index, "http.body", scalar, form.BodyStart);
            return shortSpec with { Body = shortBody };
        }

        if (value is not DocMapping map)
        {
            Error(value.Location, $"'http' {ctx} must be \"METHOD URL [BODY]\" or a mapping with {Names.List(HttpFields)}, not {value.Describe}");
            return null;
        }

        var f = Fields(map, $"of 'http' {ctx}", HttpFields);
        if (!f.TryGetValue("url", out var u))
        {
            Error(map.Location, $"'http' {ctx} has no 'url'");
            return null;
        }

        AddPlace(index, "http.url", u.Value);
        var methodText = "GET";
        if (f.TryGetValue("method", out var m))
        {
            AddPlace(index, "http.method", m.Value);
            methodText = Text(m.Value, $"'method' {ctx}") ?? methodText;
        }

        if (f.TryGetValue("body", out var b))
        {
            AddPlace(index, "http.body", b.Value);
        }

        var urlText = Text(u.Value, $"'url' {ctx}");
        var spec = new HttpSpec(methodText.ToUpperInvariant(), urlText ?? string.Empty)
        {
            Headers = f.TryGetValue("headers", out var h) ? TextMap(index, "http.headers", h.Value, $"'headers' {ctx}") : null,
            Body = b.Value is null ? null : Text(b.Value, $"'body' {ctx}"),
            Json = f.TryGetValue("json", out var j) ? ToJson(j.Value, index, "http.json") : null,
            ExpectStatus = f.TryGetValue("expectStatus", out var es) ? ReadStatuses(es.Value, ctx) : null,
            Timeout = f.TryGetValue("timeout", out var t) ? Duration(t.Value, "timeout") : null,
        };
        if (spec.Timeout is { } timeout && ValueChecks.Timeout(timeout) is { } problem)
        {
            Error(t.Value.Location, $"{problem} {ctx}");
        }

        return urlText is null ? null : spec;
    }

    private static System.Text.Json.Nodes.JsonNode? ShortFormJson(string body)
    {
        if (body[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private List<int> ReadStatuses(DocNode node, string ctx)
    {
        List<int> result = [];
        IReadOnlyList<DocNode> items = node is DocSequence seq ? seq.Items : [node];
        foreach (var item in items)
        {
            if (Int(item, $"'expectStatus' {ctx}") is not { } status)
            {
                continue;
            }

            if (status is < 100 or > 599)
            {
                Error(item.Location, $"'expectStatus' {ctx} must be an HTTP status from 100 to 599, not {status}");
            }

            result.Add(status);
        }

        return result;
    }

    private TaskSpec ReadWith(int index, string id, TaskSpec spec, DocEntry with)
    {
        if (spec is not FunctionSpec function)
        {
            Error(with.Key.Location, $"'with' in task '{id}' is only for function tasks");
            return spec;
        }

        if (with.Value is DocScalar { IsNull: true })
        {
            return spec;
        }

        if (with.Value is not DocMapping)
        {
            Error(with.Value.Location, $"'with' in task '{id}' must be a mapping of argument name to value, not {with.Value.Describe}");
            return spec;
        }

        return function with { With = ToJson(with.Value, index, "with")!.AsObject() };
    }
}
