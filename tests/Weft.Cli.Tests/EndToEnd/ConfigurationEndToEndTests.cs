using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weft.Tests.EndToEnd;

/// <summary>weft.yaml, WEFT_CONFIG, --config, WEFT__ variables and flags as a user meets them:
/// <c>weft config show/validate</c>, and <c>weft run</c>/<c>weft server</c> behaving as the file says.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class ConfigurationEndToEndTests : IDisposable
{
    private const string ThreeTasks = """
        name: three
        tasks:
          a: {shell: echo a}
          b: {shell: echo b}
          c: {shell: echo c}
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose() => _files.Dispose();

    private Task<WeftResult> Weft(IReadOnlyDictionary<string, string?>? env, params string[] args) => RunAsync(_files.Directory, env, args);

    private static async Task<WeftResult> RunAsync(string directory, IReadOnlyDictionary<string, string?>? env, string[] args)
    {
        using var weft = WeftProcess.StartWith(directory, env, args);
        var exit = await weft.WaitForExitAsync();
        return new WeftResult(exit, weft.Stdout, weft.Stderr);
    }

    private static Dictionary<string, (string Value, string Source)> Shown(WeftResult result)
    {
        var json = JsonNode.Parse(result.Stdout)!;
        return json["values"]!.AsArray().ToDictionary(v => (string)v!["path"]!, v => ((string)v!["value"]!, (string)v["source"]!));
    }

    [Fact]
    public async Task Run_QueueLimitFromWeftYamlInTheWorkingDirectory_RefusesALargerRun()
    {
        _files.Write("weft.yaml", "queueLimit: 2\n");
        var flow = _files.Write("three.yaml", ThreeTasks);

        var refused = await Weft(null, "run", flow, "--store", "memory");
        File.Delete(Path.Combine(_files.Directory, "weft.yaml"));
        var accepted = await Weft(null, "run", flow, "--store", "memory");

        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("this run has 3 tasks, more than the queue limit of 2 on its own", refused.Stderr, StringComparison.Ordinal);
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
    }

    [Fact]
    public async Task ConfigShow_ConfigFlagAndWeftConfig_NameTheFileRead()
    {
        _files.Write("weft.yaml", "queueLimit: 1\n");
        var named = _files.Write("named.yaml", "queueLimit: 2\n");
        var given = _files.Write("given.json", "{\n  \"queueLimit\": 3\n}\n");

        var byFlag = await Weft(new Dictionary<string, string?> { ["WEFT_CONFIG"] = named }, "config", "show", "--json", "--config", given);
        var byVariable = await Weft(new Dictionary<string, string?> { ["WEFT_CONFIG"] = named }, "config", "show", "--json");
        var byFolder = await Weft(null, "config", "show", "--json");

        Assert.True(byFlag.ExitCode == 0, byFlag.ToString());
        Assert.Equal(("3", $"{given}:2"), Shown(byFlag)["queueLimit"]);
        Assert.Equal(("2", $"{named}:1"), Shown(byVariable)["queueLimit"]);
        Assert.Equal(("1", "weft.yaml:1"), Shown(byFolder)["queueLimit"]);
    }

    [Fact]
    public async Task ConfigShow_EnvironmentBeatsFile_AndSaysWhere()
    {
        _files.Write("weft.yaml", "queueLimit: 2\npool:\n  maxWorkers: 4\n");

        var result = await Weft(new Dictionary<string, string?> { ["WEFT__POOL__MAXWORKERS"] = "12" }, "config", "show", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var shown = Shown(result);
        Assert.Equal(("12", "env WEFT__POOL__MAXWORKERS"), shown["pool.maxWorkers"]);
        Assert.Equal("2", shown["queueLimit"].Value);
        Assert.Equal(("10s", "default"), shown["pool.coolDown"]);
    }

    [Fact]
    public async Task Run_WorkersFlag_BeatsTheEnvironment()
    {
        var flow = _files.Write("three.yaml", ThreeTasks);
        var env = new Dictionary<string, string?> { ["WEFT__WORKERS"] = "0" };

        var withFlag = await Weft(env, "run", flow, "--store", "memory", "--workers", "3");
        var withoutFlag = await Weft(env, "run", flow, "--store", "memory");

        Assert.True(withFlag.ExitCode == 0, withFlag.ToString());
        Assert.True(withoutFlag.ExitCode == 2, withoutFlag.ToString());
        Assert.Contains("error: env WEFT__WORKERS: workers: Workers must be between 1 and 4096 (was 0)", withoutFlag.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValue_IsExit2WithFileLineColumnTheOptionAndWhatIsAllowed()
    {
        _files.Write("weft.yaml", "cache:\n  eviction: newest\n");
        var flow = _files.Write("three.yaml", ThreeTasks);

        var validate = await Weft(null, "config", "validate");
        var run = await Weft(null, "run", flow, "--store", "memory");

        const string expected = "weft.yaml:2:13: cache.eviction: 'newest' is not allowed; expected one of lru, lfu, fifo";
        Assert.True(validate.ExitCode == 2, validate.ToString());
        Assert.Contains($"error: {expected}", validate.Stderr, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"error: {expected}", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", validate.Stdout);
    }

    [Fact]
    public async Task UnknownKey_IsExit2WithDidYouMean()
    {
        _files.Write("weft.yaml", "breakers:\n  failureTreshold: 3\n");

        var result = await Weft(null, "config", "validate");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("weft.yaml:2:3: unknown key 'failureTreshold' in breakers (did you mean 'failureThreshold'?)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigValidate_ValidFile_Exits0()
    {
        _files.Write("weft.yaml", "pool: {minWorkers: 2, maxWorkers: 8}\ndefaultTaskTimeout: 1h\n");

        var result = await Weft(null, "config", "validate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("is valid", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigShow_ListsSourcesAndMasksTheToken()
    {
        _files.Write("weft.yaml", "server:\n  token: correct-horse-battery\nstore: postgres://weft:hunter2@db:5432/weft\n");

        var text = await Weft(new Dictionary<string, string?> { ["WEFT__QUEUELIMIT"] = "7" }, "config", "show");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.DoesNotContain("correct-horse", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text.Stdout, StringComparison.Ordinal);
        Assert.Matches(Line("server.token", @"\*\*\*", @"weft\.yaml:2"), text.Stdout);
        Assert.Matches(Line("queueLimit", "7", "env WEFT__QUEUELIMIT"), text.Stdout);
        Assert.Matches(Line("dedupWindow", "1m", "default"), text.Stdout);
    }

    [Fact]
    public async Task Worker_StoreFromTheFile_IsTheStoreItOpens()
    {
        _files.Write("weft.yaml", "store: memory\n");

        var result = await Weft(new Dictionary<string, string?> { ["WEFT_STORE"] = null }, "worker");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("weft worker needs a cluster store (postgres://…), not memory", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PluginsFromTheFile_AreLoadedRelativeToIt()
    {
        Directory.CreateDirectory(Path.Combine(_files.Directory, "conf"));
        var config = _files.Write(Path.Combine("conf", "weft.yaml"), "plugins: [lib/Missing.dll]\n");
        var flow = _files.Write("three.yaml", ThreeTasks);

        var result = await Weft(null, "run", flow, "--store", "memory", "--config", config);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: plugin not found: {Path.Combine(_files.Directory, "conf", "lib", "Missing.dll")}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_PoolFromTheFile_IsThePoolItRuns_AndScalesFromTwoByDefault()
    {
        _files.Write("weft.yaml", "pool:\n  minWorkers: 3\n  maxWorkers: 5\n");
        var configured = await SlotsOfServerAsync(_files.Directory);

        using var bare = new WorkflowFiles();
        var byDefault = await SlotsOfServerAsync(bare.Directory);

        Assert.Equal(3, configured);
        Assert.Equal(2, byDefault);
    }

    private static async Task<int> SlotsOfServerAsync(string directory)
    {
        using var server = WeftProcess.Start(directory, "server", "--store", "memory", "--urls", "http://127.0.0.1:0");
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        Match listening;
        while (!(listening = ListeningUrl().Match(server.Stdout)).Success && DateTime.UtcNow < until && !server.HasExited)
        {
            await Task.Delay(50);
        }

        Assert.True(listening.Success, server.Stdout + server.Stderr);
        var url = listening.Groups[1].Value;
        using var http = new HttpClient();
        var status = await http.GetFromJsonAsync<JsonObject>($"{url}/api/status");
        return (int)status!["slotsTotal"]!;
    }

    private static Regex Line(string path, string value, string source) =>
        new($"(?m)^{Regex.Escape(path)} +{value} +{source}\\s*$");

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningUrl();
}
