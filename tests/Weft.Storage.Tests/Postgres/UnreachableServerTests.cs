using System.Net;
using System.Net.Sockets;
using Weft.Postgres;

namespace Weft.Storage.Tests.Postgres;

public sealed class UnreachableServerTests
{
    [Fact]
    public async Task OpenAsync_NothingListening_ClearStoreError()
    {
        var port = ClosedPort();
        var options = new PostgresStoreOptions { ConnectionString = $"postgres://weft:pw@127.0.0.1:{port}/db?schema=s1&timeout=3" };

        var e = await Assert.ThrowsAsync<WeftStoreException>(async () => await PostgresStore.OpenAsync(options));

        Assert.StartsWith($"the PostgreSQL store at postgres://127.0.0.1:{port}/db (schema s1) failed to create or migrate the schema: cannot reach the server", e.Message);
        Assert.DoesNotContain(":pw@", e.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
