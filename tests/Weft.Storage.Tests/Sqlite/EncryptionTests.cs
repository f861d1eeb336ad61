using System.Security.Cryptography;
using System.Text;
using Weft.Execution;
using Weft.Sqlite;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Sqlite;

public sealed class EncryptionTests : IDisposable
{
    private const string SmallOutput = "plaintext-output-marker-42";
    private const string StderrText = "plaintext-stderr-marker-43";
    private const string ErrorText = "exit code 5: plaintext-error-marker-44";

    private readonly TempDatabase _db = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(1024)]
    [InlineData(0)]
    public async Task WithKey_FileHoldsNoPlaintextOfOutputsStderrOrSecrets(int threshold)
    {
        await WriteRunAsync(_db.Options(_key, threshold));

        var bytes = _db.FileBytes();

        Assert.False(Contains(bytes, SmallOutput), "output found in clear");
        Assert.False(Contains(bytes, StderrText), "stderr found in clear");
        Assert.False(Contains(bytes, SecretValue), "secret parameter found in clear");
        Assert.False(Contains(bytes, "plaintext-error-marker"), "error found in clear");
        await using var store = await SqliteStore.OpenAsync(_db.Options(_key, threshold));
        Assert.Equal(SmallOutput, await store.GetOutputAsync("r1", "a"));
    }

    [Fact]
    public async Task WithoutKey_FileHoldsPlaintext_SoTheCheckAboveCanFail()
    {
        await WriteRunAsync(_db.Options());

        var bytes = _db.FileBytes();

        Assert.True(Contains(bytes, SmallOutput));
        Assert.True(Contains(bytes, SecretValue));
        Assert.True(Contains(bytes, ErrorText));
    }

    [Fact]
    public async Task MissingKey_ReadingEncryptedData_SaysSetTheKey()
    {
        await WriteRunAsync(_db.Options(_key));
        await using var store = await SqliteStore.OpenAsync(_db.Options());

        var output = await Assert.ThrowsAsync<WeftStoreException>(async () => await store.GetOutputAsync("r1", "a"));
        var secrets = await Assert.ThrowsAsync<WeftStoreException>(async () => await store.LoadRunAsync("r1"));

        Assert.Equal("output of run r1 task a attempt 1 is encrypted and no key is configured (set WEFT_ENCRYPTION_KEY)", output.Message);
        Assert.Contains("secret parameters of run r1 is encrypted and no key is configured", secrets.Message);
        Assert.Contains("r1", (await store.ListRunsAsync(new RunQuery())).Select(r => r.RunId)); // listing needs no key
    }

    [Fact]
    public async Task WrongKey_ReadingEncryptedData_SaysItCannotBeDecrypted()
    {
        await WriteRunAsync(_db.Options(_key));
        await using var store = await SqliteStore.OpenAsync(_db.Options(RandomNumberGenerator.GetBytes(32)));

        var output = await Assert.ThrowsAsync<WeftStoreException>(async () => await store.GetOutputAsync("r1", "a"));
        var secrets = await Assert.ThrowsAsync<WeftStoreException>(async () => await store.LoadRunAsync("r1"));

        Assert.StartsWith("output of run r1 task a attempt 1 cannot be decrypted with the configured key", output.Message);
        Assert.StartsWith("secret parameters of run r1 cannot be decrypted with the configured key", secrets.Message);
    }

    /// <summary>Writes run r1 and checks it reads back through the same (keyed) instance.</summary>
    private static async Task WriteRunAsync(SqliteStoreOptions options)
    {
        await using var store = await SqliteStore.OpenAsync(options);
        await store.CreateRunAsync(Run("r1", T0));
        await store.WriteAsync(
        [
            AttemptChange("r1", "a", 1, TaskOutcomeStatus.Succeeded, SmallOutput) with { Stderr = StderrText, Error = ErrorText },
            TaskChange("r1", "a", TaskState.Succeeded) with { Error = ErrorText },
        ]);

        var run = (await store.GetRunAsync("r1"))!;
        Assert.Equal("***", run.Params["token"]);
        Assert.Equal(SmallOutput, run.Tasks[0].Output);
        Assert.Equal(StderrText, run.Tasks[0].AttemptHistory[0].Stderr);
        Assert.Equal(ErrorText, run.Tasks[0].Error);
        Assert.Equal(ErrorText, run.Tasks[0].AttemptHistory[0].Error);
        Assert.Equal(SecretValue, (await store.LoadRunAsync("r1"))!.Record.Params["token"]);
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
