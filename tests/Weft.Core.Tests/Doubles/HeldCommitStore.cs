using Weft.Storage;

namespace Weft.Tests.Doubles;

/// <summary>A durable-looking store whose commits can be held, as a disk that cannot keep up: while
/// held, a journal write waits until <see cref="Release"/>. It records the size of every batch it is
/// handed (the journal's backlog at the moment the writer took it) and, after each commit, checks
/// <see cref="AfterCommit"/> against what is stored, so a test sees every past a crash could leave.</summary>
internal sealed class HeldCommitStore(MemoryStore inner) : ForwardingStore(inner)
{
    private readonly Lock _lock = new();
    private readonly List<int> _batches = [];
    private readonly List<string> _violations = [];
    private TaskCompletionSource? _held;
    private volatile bool _crashed;

    /// <summary>Checked after each commit; returns what is wrong with the stored state, or null.</summary>
    public Func<MemoryStore, ValueTask<string?>>? AfterCommit { get; set; }

    /// <summary>Sizes of the batches written so far, in order (a held one counts once it is entered).</summary>
    public IReadOnlyList<int> Batches
    {
        get
        {
            lock (_lock)
            {
                return [.. _batches];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>From now on commits wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets the waiting commit and every later one through.</summary>
    public void Release()
    {
        TaskCompletionSource? held;
        lock (_lock)
        {
            held = _held;
            _held = null;
        }

        held?.TrySetResult();
    }

    /// <summary>The process "dies": the held commit and every later one are dropped, so the store keeps
    /// exactly the batches committed before.</summary>
    public void Crash()
    {
        _crashed = true;
        Release();
    }

    public override async ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        Task? wait;
        lock (_lock)
        {
            _batches.Add(changes.Count);
            wait = _held?.Task;
        }

        if (wait is not null)
        {
            await wait.WaitAsync(cancellationToken);
        }

        if (_crashed)
        {
            return;
        }

        await Inner.WriteAsync(changes, cancellationToken);
        if (AfterCommit is { } check && await check(Inner) is { } violation)
        {
            lock (_lock)
            {
                _violations.Add(violation);
            }
        }
    }
}
