using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Weft.Tests.EndToEnd;

/// <summary>A task's output and errors carry terminal escape sequences (issue #11, item 12): no text
/// view passes them to the terminal; JSON escapes them; <c>runs output --raw</c> keeps the bytes.</summary>
[Trait("Category", "EndToEnd")]
public sealed class TerminalEscapeTests : IDisposable
{
    private const string Hostile = """
        name: hostile
        tasks:
          evil:
            shell: printf '\033]0;pwned\007\033[2Jhello\n'
          worse:
            shell: printf 'bad \033[31mred\n' >&2; exit 3
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    [Fact]
    public async Task RunShowAndOutput_EscapeControlCharacters_JsonAndRawKeepThem()
    {
        var flow = _files.Write("hostile.yaml", Hostile);
        var store = "sqlite:" + Path.Combine(_files.Directory, "weft.db");

        var run = await WeftProcess.RunRawAsync(_files.Directory, "run", flow, "--store", store);
        var runId = JsonDocument.Parse((await WeftProcess.RunRawAsync(_files.Directory, "runs", "list", "--json", "--store", store)).Stdout)
            .RootElement[0].GetProperty("runId").GetString()!;
        var show = await WeftProcess.RunRawAsync(_files.Directory, "runs", "show", runId, "--store", store);
        var output = await WeftProcess.RunRawAsync(_files.Directory, "runs", "output", runId, "evil", "--store", store);
        var raw = await WeftProcess.RunRawAsync(_files.Directory, "runs", "output", runId, "evil", "--raw", "--store", store);
        var json = await WeftProcess.RunRawAsync(_files.Directory, "runs", "show", runId, "--json", "--store", store);

        Assert.True(run.ExitCode == 1, run.ToString());
        foreach (var (name, text) in new[] { ("run", run.Stdout), ("runs show", show.Stdout), ("runs output", output.Stdout), ("runs show --json", json.Stdout) })
        {
            Assert.False(text.Contains('\u001b') || text.Contains('\u0007'), $"{name} printed a raw control character:\n{text}");
        }

        Assert.Contains("\\x1b", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\\x1b]0;pwned\\x07\\x1b[2Jhello", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("bad \\x1b[31mred", show.Stdout, StringComparison.Ordinal);
        Assert.Equal("\\x1b]0;pwned\\x07\\x1b[2Jhello", output.Stdout.TrimEnd('\n'));
        Assert.Equal("\u001b]0;pwned\u0007\u001b[2Jhello", raw.Stdout.TrimEnd('\n'));
        var evil = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("tasks").GetProperty("evil");
        Assert.StartsWith("\u001b]0;pwned", evil.GetProperty("output").GetString(), StringComparison.Ordinal);
    }
}
