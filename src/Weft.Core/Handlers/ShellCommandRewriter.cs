using System.Text;
using Weft.Execution;
using Weft.Templates;

namespace Weft.Handlers;

/// <summary>Makes a shell command safe from template injection. Each <c>{{ ... }}</c> in the command
/// is replaced by a reference to an environment variable (<c>${WEFT_V0}</c>, <c>${WEFT_V1}</c>, ...) and
/// the resolved value is passed in that variable. The shell expands a parameter after it has parsed
/// the command, so the value is data, never code: <c>; rm -rf /</c>, <c>$(...)</c> and backticks in a
/// value are never executed, whether the template stands inside double quotes or outside any quotes.
/// Inside double quotes the value arrives verbatim; unquoted it is subject to word splitting and
/// globbing, as any unquoted variable is (still never to command execution).
/// <para>Caveat: inside single quotes the shell expands nothing, so <c>'{{ params.x }}'</c> yields the
/// literal text <c>${WEFT_V0}</c>, not the value. Write <c>"{{ params.x }}"</c> instead. We do not
/// lex the shell language to "fix" this; a wrong guess there would be an injection hole. Validation
/// warns about single-quoted and unquoted templates (ShellTemplateQuoting).</para></summary>
internal static class ShellCommandRewriter
{
    /// <summary>Prefix of the variables that carry template values; user <c>env:</c> names must not start with it.</summary>
    public const string VariablePrefix = "WEFT_V";

    /// <summary>Rewrites <paramref name="command"/> and adds one variable per distinct reference to
    /// <paramref name="environment"/>. Throws <see cref="TemplateResolutionException"/> when a value cannot be resolved.</summary>
    public static string Rewrite(string command, ITemplateValues values, IDictionary<string, string?> environment)
    {
        if (!Template.MayContainReferences(command))
        {
            return command;
        }

        var template = Template.Parse(command);
        if (!template.HasReferences)
        {
            // Only escapes ({{ '{{' }}) or malformed text: nothing to pass in, but escapes still render.
            return template.Render(_ => string.Empty);
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var sb = new StringBuilder(command.Length + 16);
        foreach (var segment in template.Segments)
        {
            if (segment.Reference is null)
            {
                sb.Append(segment.Literal);
                continue;
            }

            // The same reference twice shares one variable: fewer variables, same value.
            var key = segment.Reference.ToString();
            if (!names.TryGetValue(key, out var name))
            {
                name = VariablePrefix + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                names.Add(key, name);
                environment[name] = values.Resolve(segment.Reference);
            }

            // Braces keep the name from running into literal text that follows ("${WEFT_V0}abc").
            sb.Append("${").Append(name).Append('}');
        }

        return sb.ToString();
    }
}
