using Weft.Caching;

namespace Weft.Coordination;

/// <summary>A transport that carries started tasks to worker processes and their outcomes back, chosen
/// from outside the core (<see cref="WeftOptions.Transport"/>): e.g. NATS JetStream (Weft.Nats). The
/// engine asks it for its dispatcher instead of running tasks on its own slots. The core references no
/// transport; a transport package implements this.</summary>
public interface ITransport
{
    /// <summary>What a user sees of it, e.g. "nats://127.0.0.1:4222" (never credentials).</summary>
    string Describe();

    /// <summary>The engine's dispatcher for this transport, built once in the engine's constructor.</summary>
    internal IDispatcher CreateDispatcher(TransportContext context);
}

/// <summary>The parts of an engine a transport's dispatcher works with (the store: whether a run it does not
/// hold is still unfinished there, so an outcome for it waits for the run to be taken up).</summary>
internal sealed record TransportContext(Coordinator Coordinator, AttemptCache Cache, TimeProvider Time, Action<string, string> OnWorkerLost, Storage.IWeftStore Store);
