using Weft.Secrets;

namespace Weft.Scheduling;

internal sealed partial class RunExecution
{
    private SecretMasker? _secrets;

    /// <summary><paramref name="text"/> with this run's secret parameter values masked (in every form
    /// the <see cref="SecretMasker"/> knows), for what is recorded in the store (errors, stderr). The
    /// masker is made once per run, on its first recorded error.</summary>
    public string? MaskSecrets(string? text) =>
        text is null ? null : (_secrets ??= SecretMasker.For(Plan.Definition, Params)).Apply(text);
}
