using Weft.Definitions.Loading;
using Weft.Templates;

namespace Weft.Definitions.Validation;

/// <summary>Per-kind checks of what a shell or http task would fail on only when it runs: an empty
/// command, environment names the OS cannot hold, a URL that is not http(s), header names and values
/// that cannot be sent. Also the warnings about templates the shell would not expand as meant.</summary>
internal sealed partial class ValidationRun
{
    private void CheckSpec(int i)
    {
        switch (_def.Tasks[i].Spec)
        {
            case ShellSpec shell:
                CheckShell(i, shell);
                break;
            case HttpSpec http:
                CheckHttp(i, http);
                break;
            case SqlSpec sql:
                CheckSql(i, sql);
                break;
            case ContainerSpec container:
                CheckContainer(i, container);
                break;
            case WaitSpec wait:
                CheckWait(i, wait);
                break;
            case ChildWorkflowSpec child:
                CheckChildWorkflow(i, child);
                break;
        }
    }

    private void CheckShell(int i, ShellSpec shell)
    {
        var id = _def.Tasks[i].Id;
        if (string.IsNullOrWhiteSpace(shell.Command))
        {
            Error(Place(i, "shell.command"), $"'shell' in task '{id}' has an empty command");
        }

        CheckEnvNames(i, "shell.env", shell.Env);
    }

    private void CheckEnvNames(int i, string field, IReadOnlyDictionary<string, string>? env)
    {
        var id = _def.Tasks[i].Id;
        foreach (var name in env?.Keys ?? [])
        {
            var problem = name switch
            {
                "" => "an empty name",
                _ when name.Contains('=', StringComparison.Ordinal) => "a name with '=' in it",
                _ when name.Contains('\0', StringComparison.Ordinal) => "a name with a NUL character in it",
                _ when name.StartsWith(Handlers.ShellCommandRewriter.VariablePrefix, StringComparison.Ordinal) =>
                    $"a name starting with '{Handlers.ShellCommandRewriter.VariablePrefix}', which weft uses to pass template values",
                _ => null,
            };
            if (problem is not null)
            {
                Error(Place(i, FieldPaths.Member(field, name)), $"'env' in task '{id}' has {problem}: '{name}'; an environment variable name is letters, digits and '_'");
            }
        }
    }

    private void CheckHttp(int i, HttpSpec http)
    {
        var id = _def.Tasks[i].Id;
        CheckUrl(i, id, http.Url.Trim());
        foreach (var (name, value) in http.Headers ?? new Dictionary<string, string>())
        {
            var place = Place(i, FieldPaths.Member("http.headers", name));
            if (name.Length == 0 || !name.All(IsHeaderNameChar))
            {
                Error(place, $"header name '{name}' in task '{id}' is not valid; use letters, digits and -");
            }

            if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                Error(place, $"the value of header '{name}' in task '{id}' holds a line break; a header value must be one line");
            }
        }

        if (http.Body is not null && http.Json is not null)
        {
            Error(Place(i, "http.body"), $"'http' in task '{id}' has both 'body' and 'json'; give the body one way");
        }
    }

    /// <summary>A URL that starts with a template is checked when it runs (the value must then be an
    /// absolute http(s) URL); any other must start as one here.</summary>
    private void CheckUrl(int i, string id, string url)
    {
        var place = Place(i, "http.url");
        if (url.Length == 0)
        {
            Error(place, $"task '{id}' has an empty url");
            return;
        }

        var template = Template.Parse(url);
        if (template.Errors.Count > 0 || template.Segments[0].Reference is not null)
        {
            return;
        }

        var probe = template.Render(_ => "x");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            Error(place, $"the url of task '{id}' must be an absolute http:// or https:// URL, not '{url}'");
        }
    }

    // RFC 9110 token characters.
    private static bool IsHeaderNameChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    /// <summary>Warnings: a template in a <c>shell:</c> command (or a <c>container:</c> command string) inside single quotes reaches the command
    /// as the text <c>${WEFT_V0}</c>; one outside any quotes is split into words and globbed.</summary>
    public IReadOnlyList<WorkflowError> Lint()
    {
        var warnings = new List<WorkflowError>();
        for (var i = 0; i < _def.Tasks.Count; i++)
        {
            var task = _def.Tasks[i];

            // Both are parsed by a shell with templates passed as ${WEFT_Vn}: the same quoting rule holds.
            var (field, command) = task.Spec switch
            {
                ShellSpec { Args: null } shell => ("shell.command", shell.Command),
                ContainerSpec { Script: { } script } => ("container.command", script),
                _ => ("", null),
            };
            if (command is null || !Template.MayContainReferences(command))
            {
                continue;
            }

            foreach (var reference in Template.Parse(command).References)
            {
                var expression = $"{{{{ {reference} }}}}";
                var message = ShellTemplateQuoting.At(command, reference.Offset) switch
                {
                    ShellTemplateQuoting.Quoting.Single =>
                        $"in task '{task.Id}', {expression} is inside single quotes, where the shell expands nothing: the command gets the text ${{WEFT_V…}}, not the value; use double quotes: \"{expression}\"",
                    ShellTemplateQuoting.Quoting.None =>
                        $"in task '{task.Id}', {expression} is not quoted, so the shell splits its value into words and expands *, ? and [ in it; write \"{expression}\"",
                    _ => null,
                };
                if (message is not null)
                {
                    warnings.Add(new WorkflowError(Place(i, field, reference.Offset), "warning: " + message));
                }
            }
        }

        return warnings;
    }
}
