using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Weft.Definitions;
using Weft.Sqlite;

namespace Weft.Storage.Tests.Sqlite;

/// <summary>Issue #11 item 6: with an encryption key, a task's error (which carries its stderr tail, or
/// a rendered URL) was stored in clear, secrets and all. Now every column of runs, tasks and attempts
/// holds no secret, and errors read back with the secret masked.</summary>
public sealed class ErrorEncryptionTests : IDisposable
{
    private const string Secret = "PwSecret-5f1c9e0b7a";

    private readonly TempDatabase _db = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => _db.Dispose();

    private static WorkflowDefinition Flow() => new("leaky",
    [
        new TaskDefinition("login", new ShellSpec("""echo "auth" "failed for {{ params.password }}" >&2; exit 5""")),
        new TaskDefinition("call", new HttpSpec("GET", "http://127.0.0.1:1/api?key={{ params.password }}")),
    ])
    {
        Params = [new ParamDefinition("password") { Secret = true }],
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFailedRunsErrors_HoldNoSecretInAnyColumn(bool withKey)
    {
        var options = _db.Options(withKey ? _key : null);
        string runId;
        await using (var store = await SqliteStore.OpenAsync(options))
        await using (var engine = WeftEngine.Create(o =>
        {
            o.Store = store;
            o.Retention = null;
        }))
        {
            var handle = await engine.SubmitAsync(Flow(), new Dictionary<string, string> { ["password"] = Secret });
            runId = handle.RunId;
            var run = await handle.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(RunState.Failed, run.State);
        }

        // Without a key the secret values must stay readable to resume the run: only their own
        // column holds them; masking keeps them out of every other.
        var columns = RawColumns().Where(c => withKey || c.Key != "runs.secrets").ToList();
        Assert.DoesNotContain(columns, c => c.Value.Contains(Secret, StringComparison.Ordinal));
        if (withKey)
        {
            // The stderr tail is in the error: encrypted, not just masked (the definition holds the
            // command as written, so only what the task printed is looked for).
            Assert.DoesNotContain(columns, c => !c.Key.StartsWith("definitions.", StringComparison.Ordinal)
                && c.Value.Contains("auth failed for", StringComparison.Ordinal));
        }

        await using var reopened = await SqliteStore.OpenAsync(options);
        var login = (await reopened.GetRunAsync(runId))!.Tasks.Single(t => t.TaskId == "login");
        Assert.Contains("auth failed for ***", login.Error, StringComparison.Ordinal);
        Assert.Contains("auth failed for ***", login.AttemptHistory[^1].Error, StringComparison.Ordinal);
    }

    /// <summary>Every value of every row of runs, tasks and attempts ("table.column" → text; blobs as UTF-8).</summary>
    private List<KeyValuePair<string, string>> RawColumns()
    {
        var values = new List<KeyValuePair<string, string>>();
        using var c = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        c.Open();
        foreach (var table in new[] { "runs", "tasks", "attempts", "definitions" })
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            using var r = command.ExecuteReader();
            while (r.Read())
            {
                for (var i = 0; i < r.FieldCount; i++)
                {
                    var text = r.GetValue(i) switch { byte[] b => Encoding.UTF8.GetString(b), var v => v.ToString() ?? "" };
                    values.Add(new($"{table}.{r.GetName(i)}", text));
                }
            }
        }

        return values;
    }
}
