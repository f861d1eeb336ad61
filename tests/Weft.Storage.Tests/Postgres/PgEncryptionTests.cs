using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Weft.Execution;
using Weft.Postgres;
using Weft.Testing;
using static Weft.Storage.Tests.Postgres.PgSamples;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Postgres;

public sealed class PgEncryptionTests : IAsyncLifetime
{
    private const string Output = "plaintext-output-marker-42";
    private const string Stderr = "plaintext-stderr-marker-43";
    private const string Payload = "plaintext-payload-marker-44";
    private const string Completed = "plaintext-completion-marker-45";
    private const string Error = "exit code 5: plaintext-error-marker-46";
    private const string CompletedError = "plaintext-completion-error-marker-47";

    private readonly PostgresSchema _schema = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Theory]
    [InlineData(1024)]
    [InlineData(0)]
    public async Task WithKey_TablesHoldNoPlaintext_AndTheStoreReadsItBack(int threshold)
    {
        await using var store = await _schema.OpenAsync(_key, threshold);
        await WriteAsync(store);

        var raw = await RawTablesAsync();

        Assert.DoesNotContain(Output, raw);
        Assert.DoesNotContain(Stderr, raw);
        Assert.DoesNotContain(SecretValue, raw);
        Assert.DoesNotContain(Payload, raw);
        Assert.DoesNotContain(Completed, raw);
        Assert.DoesNotContain("plaintext-error-marker", raw);
        Assert.DoesNotContain(CompletedError, raw);
        Assert.Equal(Output, await store.GetOutputAsync("r1", "a"));
        var a = (await store.GetRunAsync("r1"))!.Tasks.Single(t => t.TaskId == "a");
        Assert.Equal(Error, a.Error);
        Assert.Equal(Error, a.AttemptHistory[0].Error);
        Assert.Equal(CompletedError, Assert.Single(await store.ReadCompletionsAsync(10)).Outcome.Error);
        Assert.Equal(SecretValue, (await store.LoadRunAsync("r1"))!.Record.Params["token"]);
        Assert.Equal(Payload, (await store.ListQueuedAsync("r1")).Single(q => q.TaskId == "b").Payload);
        Assert.Equal(Completed, Assert.Single(await store.ReadCompletionsAsync(10)).Outcome.Output);
    }

    [Fact]
    public async Task WithoutKey_TablesHoldPlaintext_SoTheCheckAboveCanFail()
    {
        await using var store = await _schema.OpenAsync();
        await WriteAsync(store);

        var raw = await RawTablesAsync();

        Assert.Contains(Output, raw);
        Assert.Contains(SecretValue, raw);
        Assert.Contains(Payload, raw);
        Assert.Contains(Completed, raw);
        Assert.Contains(Error, raw);
    }

    [Fact]
    public async Task MissingKey_ReadingEncryptedOutput_SaysSetTheKey()
    {
        await using (var keyed = await _schema.OpenAsync(_key))
        {
            await WriteAsync(keyed);
        }

        await using var store = await _schema.OpenAsync();

        var e = await Assert.ThrowsAsync<WeftStoreException>(async () => await store.GetOutputAsync("r1", "a"));
        Assert.Equal("output of run r1 task a attempt 1 is encrypted and no key is configured (set WEFT_ENCRYPTION_KEY)", e.Message);
    }

    private static async Task WriteAsync(PostgresStore store)
    {
        await store.CreateRunAsync(Run("r1", T0));
        await store.WriteAsync(
        [
            AttemptChange("r1", "a", 1, TaskOutcomeStatus.Succeeded, Output) with { Stderr = Stderr, Error = Error },
            TaskChange("r1", "a", TaskState.Succeeded) with { Error = Error },
            Enqueue("r1", "b", payload: Payload),
            Enqueue("r1", "c"),
        ]);
        var claimed = await store.ClaimAsync("w", ["default"], 10, TimeSpan.FromMinutes(1));
        var completion = Completion(claimed.Single(q => q.TaskId == "c"), "w", Completed);
        await store.CompleteAsync([completion with { Outcome = completion.Outcome with { Error = CompletedError } }]);
    }

    /// <summary>Every row of every table of the schema, as text (bytea as its raw bytes decoded as UTF-8).</summary>
    private async Task<string> RawTablesAsync()
    {
        var text = new StringBuilder();
        await using var c = await TestPostgres.OpenRawAsync();
        foreach (var table in new[] { "definitions", "runs", "tasks", "attempts", "cache", "queue", "completions" })
        {
            await using var command = new NpgsqlCommand($"SELECT * FROM \"{_schema.Name}\".{table}", c);
            await using var r = await command.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                for (var i = 0; i < r.FieldCount; i++)
                {
                    text.Append(r.GetValue(i) switch { byte[] b => Encoding.UTF8.GetString(b), var v => v.ToString() }).Append('|');
                }
            }
        }

        return text.ToString();
    }
}
