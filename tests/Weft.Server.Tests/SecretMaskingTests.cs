using System.Net.Http.Json;
using System.Text.Json;
using Weft.Cli;
using Weft.Secrets;

namespace Weft.Server.Tests;

/// <summary>A secret parameter whose value has characters that encoders escape (<c>"</c>, <c>\</c>),
/// echoed by a task as JSON, on stderr, and URL-encoded: masked in every form, by the core's
/// <see cref="SecretMasker"/>, on the server's API and event stream and in <c>weft run</c>.</summary>
public sealed class SecretMaskingTests : IDisposable
{
    // "value-42" appears in no mask and no other text, so finding it anywhere is a leak.
    private const string Token = "tok\"en\\value-42";

    // Echoes the secret JSON-escaped on stdout (as jq or json.dumps would), raw and URL-encoded on
    // stderr, then fails, so it shows up in output, error, stderr and events.
    private const string Leaky = """
        name: leaky
        params:
          token: { secret: true }
        tasks:
          json:
            shell: |
              printf '{"token":"%s"}' "$(printf '%s' "{{ params.token }}" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
          fail:
            dependsOn: [json]
            shell: |
              printf 'raw %s\n' "{{ params.token }}" >&2
              echo "url tok%22en%5Cvalue-42" >&2
              exit 3
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("weft-masking-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Masker_EveryEncodedForm_Masked()
    {
        var masker = SecretMasker.Of([Token]);
        var relaxed = """tok\"en\\value-42""";
        var netDefault = JsonEncodedText.Encode(Token).ToString();
        var url = Uri.EscapeDataString(Token);
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Token));

        foreach (var form in new[] { Token, relaxed, netDefault, url, base64 })
        {
            Assert.Equal("a *** b", masker.Apply($"a {form} b"));
        }
    }

    [Fact]
    public void Masker_NonAsciiSecret_BothHexCasesOfJsonEscapesMasked()
    {
        var masker = SecretMasker.Of(["pässwörd"]);

        Assert.Equal("\"***\"", masker.Apply("\"p\\u00e4ssw\\u00f6rd\""));
        Assert.Equal("\"***\"", masker.Apply("\"p\\u00E4ssw\\u00F6rd\""));
    }

    [Fact]
    public void Masker_ShortSecretsAndNoSecrets_LeaveTextAlone()
    {
        Assert.Equal("a b 1", SecretMasker.Of(["a", "1"]).Apply("a b 1"));
        Assert.True(SecretMasker.Of([]).IsEmpty);
    }

    [Fact]
    public void Masker_ForDefinition_UsesGivenValueOrSecretDefault()
    {
        var definition = Definitions.WorkflowLoader.Parse(Workflows.Secret, "secret.yaml");

        Assert.Equal("pw=***", SecretMasker.For(definition, null).Apply("pw=hunter2-very-secret"));
        Assert.Equal("pw=***", SecretMasker.For(definition, new Dictionary<string, string> { ["password"] = "other-secret" }).Apply("pw=other-secret"));
    }

    [Fact]
    public async Task Server_EscapedSecretInOutputErrorStderrAndEvents_Masked()
    {
        await using var server = await TestServer.StartAsync();
        var submitted = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Leaky, @params = new Dictionary<string, string> { ["token"] = Token } });
        var runId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await server.WaitAsync(runId);

        var run = await server.Client.GetStringAsync($"/api/runs/{runId}");
        var output = await server.GetJsonAsync($"/api/runs/{runId}/tasks/json/output");
        var events = await server.Client.GetStringAsync($"/api/runs/{runId}/events");

        Assert.Equal("{\"token\":\"***\"}", output.GetProperty("output").GetString()?.Trim());
        Assert.DoesNotContain("value-42", run, StringComparison.Ordinal);
        Assert.DoesNotContain("value-42", output.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("value-42", events, StringComparison.Ordinal);
        Assert.Contains("raw ***", run, StringComparison.Ordinal);
        Assert.Contains("url ***", run, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeftRun_JsonAndText_SecretEchoedByTasksMasked()
    {
        var file = Path.Combine(_dir, "leaky.yaml");
        await File.WriteAllTextAsync(file, Leaky);

        var json = await WeftAsync("run", file, "--store", "memory", "-p", $"token={Token}", "--json");
        var text = await WeftAsync("run", file, "--store", "memory", "-p", $"token={Token}");

        Assert.Equal(1, json.Code);
        Assert.Equal(1, text.Code);
        var doc = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal("{\"token\":\"***\"}", doc.GetProperty("tasks").GetProperty("json").GetProperty("output").GetString()?.Trim());
        Assert.DoesNotContain("value-42", json.Out + json.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("value-42", text.Out + text.Error, StringComparison.Ordinal);
        Assert.Contains("***", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsShowAndOutput_OnALocalStore_SecretEchoedByTasksMasked()
    {
        var file = Path.Combine(_dir, "leaky.yaml");
        await File.WriteAllTextAsync(file, Leaky);
        var store = "sqlite:" + Path.Combine(_dir, "runs.db");
        var run = await WeftAsync("run", file, "--store", store, "-p", $"token={Token}", "--json");
        var runId = JsonDocument.Parse(run.Out).RootElement.GetProperty("runId").GetString()!;

        var show = await WeftAsync("runs", "show", runId, "--store", store);
        var showJson = await WeftAsync("runs", "show", runId, "--store", store, "--json");
        var output = await WeftAsync("runs", "output", runId, "json", "--store", store);
        var raw = await WeftAsync("runs", "output", runId, "json", "--store", store, "--raw");

        Assert.Equal(0, show.Code);
        Assert.Equal(0, output.Code);
        Assert.Contains("***", show.Out, StringComparison.Ordinal);
        Assert.Equal("{\"token\":\"***\"}", output.Out.Trim());
        foreach (var shown in new[] { show, showJson, output, raw })
        {
            Assert.DoesNotContain("value-42", shown.Out + shown.Error, StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, string Out, string Error)> WeftAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (code, output.ToString(), error.ToString());
    }
}
