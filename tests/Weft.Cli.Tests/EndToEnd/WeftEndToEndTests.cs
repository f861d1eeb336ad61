using System.Text.Json;
using System.Text.RegularExpressions;

namespace Weft.Tests.EndToEnd;

/// <summary>Runs the built <c>weft</c> executable as a user would. Tests marked
/// <c>NeedsEngine</c> need the real WorkflowLoader and WeftEngine, so they fail on the cli branch
/// (where both throw NotImplementedException) and pass once it is merged with them. Run only the rest
/// with <c>dotnet test --filter "Category=EndToEnd&amp;NeedsEngine!=true"</c>.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class WeftEndToEndTests : IDisposable
{
    private readonly WorkflowFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Run_Json_PrintsOneDocumentAndExits0()
    {
        var file = _files.Write("hello.yaml", WorkflowFiles.Hello);

        var result = await WeftProcess.RunAsync(_files.Directory, "run", file, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout); // throws if there is anything besides one document
        var root = doc.RootElement;
        Assert.Equal("hello", root.GetProperty("workflow").GetString());
        Assert.Equal("succeeded", root.GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("runId").GetString()));
        Assert.Equal(["greet", "pause", "done"], root.GetProperty("tasks").EnumerateObject().Select(p => p.Name));
        var greet = root.GetProperty("tasks").GetProperty("greet");
        Assert.Equal("succeeded", greet.GetProperty("state").GetString());
        Assert.Equal(1, greet.GetProperty("attempts").GetInt32());
        Assert.StartsWith("hello", greet.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("durationMs").GetInt64() >= 100);
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Run_Plain_PrintsEventLinesAndSummary()
    {
        var file = _files.Write("hello.yaml", WorkflowFiles.Hello);

        var result = await WeftProcess.RunAsync(_files.Directory, "run", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(TaskSucceededLine(), result.Stdout);
        Assert.Contains("succeeded", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Run_FailingWorkflow_Exits1()
    {
        var file = _files.Write("failing.yaml", WorkflowFiles.Failing);

        var result = await WeftProcess.RunAsync(_files.Directory, "run", file, "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var tasks = doc.RootElement.GetProperty("tasks");
        Assert.Equal("failed", doc.RootElement.GetProperty("state").GetString());
        Assert.Equal("failed", tasks.GetProperty("broken").GetProperty("state").GetString());
        Assert.Equal(3, tasks.GetProperty("broken").GetProperty("exitCode").GetInt32());
        Assert.Equal("upstream_failed", tasks.GetProperty("after").GetProperty("state").GetString());
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Run_InvalidFile_Exits2WithPlaceOnStderr()
    {
        var file = _files.Write("invalid.yaml", WorkflowFiles.Invalid);

        var result = await WeftProcess.RunAsync(_files.Directory, "run", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(ErrorWithPlace(), result.Stderr);
        Assert.Contains("ghost", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Run_InvalidFile_CreatesNoStore()
    {
        // The process loads SQLite on its second core while it reads the file (StartupWarmUp): that must
        // never reach the store a bad input may not change, here the default .weft/weft.db.
        var file = _files.Write("invalid.yaml", WorkflowFiles.Invalid);

        var result = await WeftProcess.RunAsync(_files.Directory, "run", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(["invalid.yaml"], Directory.EnumerateFileSystemEntries(_files.Directory).Select(Path.GetFileName));
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Run_MemoryStore_LeavesNoFileAndPrintsTheSummaryOnce()
    {
        var file = _files.Write("hello.yaml", WorkflowFiles.Hello);

        var result = await WeftProcess.RunAsync(_files.Directory, "run", file, "--store", "memory");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["hello.yaml"], Directory.EnumerateFileSystemEntries(_files.Directory).Select(Path.GetFileName));
        Assert.Single(Regex.Matches(result.Stdout, @"^run \S+ \(hello\) succeeded", RegexOptions.Multiline));
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Run_MissingFile_Exits2()
    {
        var result = await WeftProcess.RunAsync(_files.Directory, "run", "nowhere.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("nowhere.yaml", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Run_Sigint_CancelsTheRunAndExits130()
    {
        var file = _files.Write("long.yaml", WorkflowFiles.LongSleep);
        using var weft = WeftProcess.Start(_files.Directory, "run", file);

        // Plain (non-terminal) output prints a line when the task starts; signal once it is running.
        Assert.True(await weft.WaitForOutputAsync("wait started", TimeSpan.FromSeconds(30)), $"stdout:\n{weft.Stdout}\nstderr:\n{weft.Stderr}");
        await weft.SignalAsync(WeftProcess.SigintIgnoredHere() ? "TERM" : "INT");
        var exit = await weft.WaitForExitAsync();

        Assert.True(exit == 130, $"exit {exit}\nstdout:\n{weft.Stdout}\nstderr:\n{weft.Stderr}");
        Assert.Contains("cancelled", weft.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Validate_ValidFile_Exits0WithTaskCount()
    {
        var file = _files.Write("hello.yaml", WorkflowFiles.Hello);

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("✓ hello.yaml: valid (3 tasks)", result.Stdout.Trim());
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Validate_InvalidFile_Json_ListsErrorsAndExits2()
    {
        var file = _files.Write("invalid.yaml", WorkflowFiles.Invalid);

        var result = await WeftProcess.RunAsync(_files.Directory, "validate", file, "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        var error = doc.RootElement.GetProperty("errors")[0];
        Assert.True(error.GetProperty("line").GetInt32() > 0);
        Assert.True(error.GetProperty("column").GetInt32() > 0);
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Graph_Text_ShowsLevelsAndCriticalPath()
    {
        var file = _files.Write("hello.yaml", WorkflowFiles.Hello);

        var result = await WeftProcess.RunAsync(_files.Directory, "graph", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            "Level 0: [greet]\nLevel 1: [pause]\nLevel 2: [done]\nCritical path: greet → pause → done\n",
            result.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    [Trait("NeedsEngine", "true")]
    public async Task Graph_Mermaid_StartsWithGraphTd()
    {
        var file = _files.Write("hello.yaml", WorkflowFiles.Hello);

        var result = await WeftProcess.RunAsync(_files.Directory, "graph", file, "--format", "mermaid");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("graph TD\n", result.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("greet --> pause", result.Stdout, StringComparison.Ordinal);
    }

    // These need only the CLI itself and pass on the cli branch already.
    [Fact]
    public async Task UsageError_ProcessExits2()
    {
        var result = await WeftProcess.RunAsync(_files.Directory, "run", "flow.yaml", "--no-such-option");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedParameter_ProcessExits2()
    {
        var result = await WeftProcess.RunAsync(_files.Directory, "run", "flow.yaml", "-p", "oops");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("name=value", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ProcessExits0()
    {
        var result = await WeftProcess.RunAsync(_files.Directory, "run", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Examples:", result.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\d\d:\d\d:\d\d ✓ greet \(\d+\.\ds\)")]
    private static partial Regex TaskSucceededLine();

    [GeneratedRegex(@"invalid\.yaml:\d+:\d+: ")]
    private static partial Regex ErrorWithPlace();
}
