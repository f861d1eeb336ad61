using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Weft.Nats;

/// <summary>Declares a stream or bucket that other processes may be declaring at the same moment (a
/// scheduler and its workers all declare on start, and a fresh server has none of them yet).
/// <para>The client's create-or-update asks for an update first; nats-server 2.9.10 (Debian's) panics and
/// exits when that update reaches a stream another connection is still creating (nil pointer in
/// <c>stream.updateWithAdvisory</c>; six connections declaring at once on a fresh server brought it down in
/// about one round in twenty). So a declaration reads first, creates only what is missing and updates only
/// a stream whose settings differ (a Weft upgrade), never one being created. A create that loses the race to
/// another declarer's ("stream name already in use", "subjects overlap with an existing stream") reads again
/// and finds the winner's. A request left unanswered (JetStream's 5 s; seen on a loaded 2-core machine with
/// a dozen servers starting) is asked again: each step is safe to repeat.</para></summary>
internal static class NatsDeclarations
{
    private const int Rounds = 5;

    public static async Task EnsureStreamAsync(INatsJSContext js, StreamConfig wanted, CancellationToken token)
    {
        var name = wanted.Name ?? throw new ArgumentException("a stream needs a name", nameof(wanted));
        for (var round = 1; ; round++)
        {
            try
            {
                var existing = await js.GetStreamAsync(name, cancellationToken: token).ConfigureAwait(false);
                if (!Differs(existing.Info.Config, wanted))
                {
                    return;
                }

                await js.UpdateStreamAsync(wanted, token).ConfigureAwait(false);
                return;
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
                // Not there yet: create it below.
            }
            catch (NatsJSApiNoResponseException) when (round < Rounds)
            {
                continue;
            }

            try
            {
                await js.CreateStreamAsync(wanted, token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (round < Rounds && IsLostRaceOrUnanswered(ex))
            {
                // Another declarer's create came first (the next round reads it), or no answer came.
            }
        }
    }

    public static async Task<INatsKVStore> EnsureBucketAsync(INatsKVContext kv, NatsKVConfig wanted, CancellationToken token)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                var existing = await kv.GetStoreAsync(wanted.Bucket, token).ConfigureAwait(false);
                var status = await existing.GetStatusAsync(token).ConfigureAwait(false);
                return status.Info.Config.MaxAge == wanted.MaxAge
                    ? existing
                    : await kv.UpdateStoreAsync(wanted, token).ConfigureAwait(false);
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
                // Not there yet: create it below.
            }
            catch (NatsJSApiNoResponseException) when (round < Rounds)
            {
                continue;
            }

            try
            {
                return await kv.CreateStoreAsync(wanted, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (round < Rounds && IsLostRaceOrUnanswered(ex))
            {
                // Another declarer's create came first (the next round reads it), or no answer came.
            }
        }
    }

    /// <summary>A queue's durable consumer, shared by its workers (creating one that exists with the same
    /// settings is answered with it, so racing workers need only the unanswered request asked again).</summary>
    public static async Task<INatsJSConsumer> EnsureConsumerAsync(INatsJSContext js, string stream, ConsumerConfig wanted, CancellationToken token)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                return await js.CreateOrUpdateConsumerAsync(stream, wanted, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (round < Rounds && IsLostRaceOrUnanswered(ex))
            {
                // Asked again.
            }
        }
    }

    private static bool IsLostRaceOrUnanswered(Exception ex) =>
        ex is NatsJSApiNoResponseException or NatsJSApiException { Error.Code: 400 };

    /// <summary>Whether an existing stream lacks a setting Weft declares (only those: a server fills in the rest).</summary>
    private static bool Differs(StreamConfig existing, StreamConfig wanted) =>
        existing.Retention != wanted.Retention
        || existing.Storage != wanted.Storage
        || existing.DuplicateWindow != wanted.DuplicateWindow
        || !(existing.Subjects ?? []).OrderBy(s => s, StringComparer.Ordinal).SequenceEqual((wanted.Subjects ?? []).OrderBy(s => s, StringComparer.Ordinal), StringComparer.Ordinal);
}
