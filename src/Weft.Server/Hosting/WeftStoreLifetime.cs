using Weft.Hosting;
using Weft.Storage;

namespace Weft.Server.Hosting;

/// <summary>The store chosen on the <see cref="WeftBuilder"/>: opened once, by the host at start (so a
/// bad path or an unreachable database stops the start), and disposed with the container, after the
/// engine that records in it (the container disposes in reverse order of creation).</summary>
internal sealed class WeftStoreLifetime(WeftBuilder builder) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IWeftStore? _store;
    private bool _opened;

    public async ValueTask OpenAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!builder.HasStore)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_opened)
            {
                _store = await builder.OpenStoreAsync(services, cancellationToken).ConfigureAwait(false);
                _opened = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The opened store, or null when the builder chose none. Normally opened already by the
    /// hosted service; when something resolves the engine before the host starts (a test, a user's
    /// constructor), it is opened here, blocking: there is no synchronization context to deadlock on in
    /// a Generic Host.</summary>
    public IWeftStore? OpenedStore(IServiceProvider services)
    {
        if (builder.HasStore && !_opened)
        {
            OpenAsync(services, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return _store;
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }
}
