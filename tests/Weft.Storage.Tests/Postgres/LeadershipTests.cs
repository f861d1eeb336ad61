using Weft.Postgres;

namespace Weft.Storage.Tests.Postgres;

public sealed class LeadershipTests : IAsyncLifetime
{
    private readonly PostgresSchema _schema = new();
    private PostgresStore _a = null!;
    private PostgresStore _b = null!;

    public async Task InitializeAsync()
    {
        _a = await _schema.OpenAsync();
        _b = await PostgresStore.OpenAsync(await _schema.OptionsAsync());
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [Fact]
    public async Task TryLead_IsExclusive_AndFreeAgainAfterDispose()
    {
        var first = await _a.TryLeadAsync();
        Assert.NotNull(first);
        Assert.Null(await _b.TryLeadAsync());
        Assert.Null(await _a.TryLeadAsync()); // a second connection of the same instance does not lead either
        Assert.False(first.Lost.IsCancellationRequested);

        await first.DisposeAsync();
        await using var second = await _b.TryLeadAsync();

        Assert.NotNull(second);
    }

    [Fact]
    public async Task TryLead_OtherSchema_IsIndependent()
    {
        await using var otherSchema = new PostgresSchema();
        await using var other = await otherSchema.OpenAsync();

        await using var here = await _a.TryLeadAsync();
        await using var there = await other.TryLeadAsync();

        Assert.NotNull(here);
        Assert.NotNull(there);
    }
}
