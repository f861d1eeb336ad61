using Weft.Secrets;
using Weft.Storage;

namespace Weft.Cli.Output;

/// <summary>The secret masker of a run <c>weft run</c> shows, from its record in the store: what the
/// summary, the <c>--json</c> document, the event lines and the progress view print goes through it,
/// so a task that echoes a secret parameter shows <c>***</c> there, as the server's API does.</summary>
internal static class RunMasks
{
    public static async Task<SecretMasker> ForAsync(IWeftStore store, string runId, CancellationToken ct = default)
    {
        try
        {
            return await store.LoadRunAsync(runId, ct).ConfigureAwait(false) is { } stored ? SecretMasker.For(stored.Record) : SecretMasker.None;
        }
        catch (WeftStoreException)
        {
            // The record cannot be read (its secrets are encrypted with a key that is not set): then
            // neither can the outputs that could carry them.
            return SecretMasker.None;
        }
    }
}
