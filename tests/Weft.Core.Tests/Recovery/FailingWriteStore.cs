using Weft.Storage;
using Weft.Tests.Doubles;

namespace Weft.Tests.Recovery;

/// <summary>A durable-looking store over a <see cref="MemoryStore"/> whose journal writes can be made to
/// throw (a full disk, a restarting database) or to wait at a gate (a commit still in flight). Only
/// <see cref="WriteAsync"/> is affected: it is the engine's reaction to it that the tests look at.</summary>
internal sealed class FailingWriteStore(MemoryStore inner) : ForwardingStore(inner)
{
    private volatile Func<Exception>? _failure;
    private volatile TaskCompletionSource? _gate;
    private int _failures;

    /// <summary>Journal writes that threw so far.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>From now on every journal write throws what <paramref name="failure"/> makes.</summary>
    public void FailWrites(Func<Exception> failure) => _failure = failure;

    public void Heal() => _failure = null;

    /// <summary>From now on journal writes wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    public override async ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (_failure is { } fail)
        {
            Interlocked.Increment(ref _failures);
            throw fail();
        }

        await Inner.WriteAsync(changes, cancellationToken);
    }
}
