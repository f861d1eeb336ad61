using Weft.Definitions;
using Weft.Storage;

namespace Weft.Secrets;

/// <summary>Replaces the values of a run's secret parameters (<c>secret: true</c>) with
/// <see cref="Mask"/> in text shown to people: task outputs, errors and stderr, events, parameter
/// values. A task may echo a secret it was given, raw or encoded (as a JSON string, URL-encoded,
/// base64), so every form in <see cref="SecretForms"/> is masked. One component for every output
/// path, so the server's API, event stream and dashboard and <c>weft run</c> mask the same way;
/// apply it to text before it is serialized, never to the serialized document.</summary>
public sealed class SecretMasker
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Secrets shorter than this are not searched for: masking every "a" or "1" would blank
    /// out ordinary text and would tell, by the gaps, what the secret is.</summary>
    public const int MinimumLength = 3;

    /// <summary>Masks nothing.</summary>
    public static readonly SecretMasker None = new([]);

    // Every form of every secret, longest first, so a form containing another is masked whole.
    private readonly string[] _forms;

    private SecretMasker(string[] forms) => _forms = forms;

    /// <summary>True when there is nothing to mask (no secret parameter, or only short ones).</summary>
    public bool IsEmpty => _forms.Length == 0;

    /// <summary>The masker of secret <paramref name="values"/> (each at least <see cref="MinimumLength"/> long).</summary>
    public static SecretMasker Of(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var forms = values
            .Where(v => v.Length >= MinimumLength && v != Mask)
            .SelectMany(SecretForms.Of)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length)
            .ToArray();
        return forms.Length == 0 ? None : new SecretMasker(forms);
    }

    /// <summary>The masker of a run of <paramref name="definition"/> with parameter
    /// <paramref name="values"/> (as given; a secret parameter not given masks its default).</summary>
    public static SecretMasker For(WorkflowDefinition definition, IReadOnlyDictionary<string, string>? values)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Of(definition.Params
            .Where(p => p.Secret)
            .Select(p => values is not null && values.TryGetValue(p.Name, out var v) ? v : p.Default)
            .OfType<string>());
    }

    /// <summary>The masker of a recorded run (its definition and resolved parameter values).</summary>
    public static SecretMasker For(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return For(record.Definition, record.Params);
    }

    /// <summary><paramref name="text"/> with every secret, in every form, replaced by <see cref="Mask"/>.</summary>
    public string? Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var form in _forms)
        {
            text = text.Replace(form, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>A copy of <paramref name="run"/> with parameters, outputs, errors, wait reasons and
    /// every attempt's error and stderr masked.</summary>
    public RunSnapshot Apply(RunSnapshot run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (IsEmpty)
        {
            return run;
        }

        return run with
        {
            Params = run.Params.ToDictionary(p => p.Key, p => Apply(p.Value) ?? "", StringComparer.Ordinal),
            Tasks = [.. run.Tasks.Select(Apply)],
        };
    }

    /// <summary>A copy of <paramref name="e"/> with its error masked.</summary>
    public RunEvent Apply(RunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return IsEmpty || e.Error is null ? e : e with { Error = Apply(e.Error) };
    }

    private TaskSnapshot Apply(TaskSnapshot task) => task with
    {
        Output = Apply(task.Output),
        Error = Apply(task.Error),
        WaitReason = Apply(task.WaitReason),
        AttemptHistory = [.. task.AttemptHistory.Select(a => a with { Error = Apply(a.Error), Stderr = Apply(a.Stderr) })],
    };
}
