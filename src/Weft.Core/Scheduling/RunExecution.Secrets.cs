using Weft.Storage;

namespace Weft.Scheduling;

internal sealed partial class RunExecution
{
    private string[]? _secretValues;

    /// <summary><paramref name="text"/> with this run's secret parameter values masked, for what is
    /// recorded in the store (errors, stderr). Found once per run, on its first recorded error.</summary>
    public string? MaskSecrets(string? text) =>
        text is null ? null : RunParams.MaskSecrets(text, _secretValues ??= RunParams.SecretValues(Plan.Definition, Params));
}
