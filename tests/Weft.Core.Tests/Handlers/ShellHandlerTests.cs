using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;

namespace Weft.Tests.Handlers;

public sealed class ShellHandlerTests : IDisposable
{
    private static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(10);
    private readonly ShellHandler _handler = new();
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ExecuteAsync_Echo_SucceedsWithTrailingNewlinesTrimmed()
    {
        var outcome = await Run(new ShellSpec("printf 'a\\nb\\n\\n\\n'"));

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("a\nb", outcome.Output);
        Assert.False(outcome.OutputTruncated);
        Assert.Equal("shell", _handler.Kind);
    }

    [Fact]
    public async Task ExecuteAsync_OutputOverLimit_IsCutAndMarked()
    {
        var outcome = await Run(new ShellSpec("head -c 5000 /dev/zero | tr '\\0' a"), outputLimit: 100);

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.True(outcome.OutputTruncated);
        Assert.StartsWith(new string('a', 100) + "\n…[output truncated: 5000 bytes, limit 100]", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 101), outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_HugeOutput_DrainsPipeAndFinishes()
    {
        // 20 MB through a 1 KiB limit: the writer must not block on a full pipe.
        var outcome = await Run(new ShellSpec("head -c 20000000 /dev/zero; echo done >&2"), outputLimit: 1024);

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.True(outcome.OutputTruncated);
        Assert.Contains("20000000 bytes, limit 1024", outcome.Output, StringComparison.Ordinal);
        Assert.Equal("done", outcome.Stderr);
    }

    [Fact]
    public async Task ExecuteAsync_NonZeroExit_FailsWithExitCodeAndLastStderrLine()
    {
        var outcome = await Run(new ShellSpec("echo partial; echo first >&2; echo 'bad thing' >&2; exit 3"));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("exit code 3: bad thing", outcome.Error);
        Assert.Equal("first\nbad thing", outcome.Stderr);
        Assert.Equal("partial", outcome.Output);
    }

    [Fact]
    public async Task ExecuteAsync_NonZeroExitWithoutStderr_ErrorIsExitCode()
    {
        var outcome = await Run(new ShellSpec("exit 7"));

        Assert.Equal("exit code 7", outcome.Error);
        Assert.Null(outcome.Stderr);
    }

    [Fact]
    public async Task ExecuteAsync_SucceededWithStderr_KeepsStderr()
    {
        var outcome = await Run(new ShellSpec("echo out; echo warn >&2"));

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("out", outcome.Output);
        Assert.Equal("warn", outcome.Stderr);
    }

    [Fact]
    public async Task ExecuteAsync_EnvAndWorkDir_AreApplied_AndParentEnvironmentInherited()
    {
        var spec = new ShellSpec("echo \"$GREETING $TARGET $(pwd) ${PATH:+has-path}\"")
        {
            Env = new Dictionary<string, string> { ["GREETING"] = "hi", ["TARGET"] = "{{ params.who }}" },
            WorkDir = _temp.Path,
        };

        var outcome = await Run(spec, new Dictionary<string, string> { ["params.who"] = "world; x" });

        var pwd = new DirectoryInfo(_temp.Path).FullName;
        Assert.Equal($"hi world; x {pwd} has-path", outcome.Output);
    }

    [Fact]
    public async Task ExecuteAsync_WithArgs_RunsProgramDirectlyWithoutShell()
    {
        var marker = _temp.File("owned");
        var spec = new ShellSpec("/bin/echo") { Args = ["a  b", "$(touch " + marker + ")", "{{ params.x }}"] };

        var outcome = await Run(spec, new Dictionary<string, string> { ["params.x"] = "; touch " + marker });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal($"a  b $(touch {marker}) ; touch {marker}", outcome.Output);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("x; touch {0}")]
    [InlineData("$(touch {0})")]
    [InlineData("`touch {0}`")]
    [InlineData("\"; touch {0}; echo \"")]
    [InlineData("${{IFS}}$(touch {0})")]
    public async Task ExecuteAsync_ParamInDoubleQuotes_IsNeverExecutedAndPrintsVerbatim(string pattern)
    {
        var marker = _temp.File("owned");
        var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);

        var outcome = await Run(new ShellSpec("echo \"n={{ params.n }}\""), new Dictionary<string, string> { ["params.n"] = value });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("n=" + value, outcome.Output);
        Assert.False(File.Exists(marker), "the value ran as shell code");
    }

    [Theory]
    [InlineData("x; touch {0}", "x; touch {0}")]
    [InlineData("$(touch {0})", "$(touch {0})")]
    [InlineData("`touch {0}` && touch {0}", "`touch {0}` && touch {0}")]
    [InlineData("a | touch {0}", "a | touch {0}")]
    public async Task ExecuteAsync_ParamUnquoted_IsNeverExecuted(string pattern, string expectedPattern)
    {
        var marker = _temp.File("owned");
        var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);
        var expected = string.Format(System.Globalization.CultureInfo.InvariantCulture, expectedPattern, marker);

        var outcome = await Run(new ShellSpec("echo {{ params.n }}"), new Dictionary<string, string> { ["params.n"] = value });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal(expected, outcome.Output);
        Assert.False(File.Exists(marker), "the value ran as shell code");
    }

    [Fact]
    public async Task ExecuteAsync_TemplateInSingleQuotes_IsNotExpanded_DocumentedCaveat()
    {
        var outcome = await Run(new ShellSpec("echo '{{ params.n }}'"), new Dictionary<string, string> { ["params.n"] = "v" });

        Assert.Equal("${WEFT_V0}", outcome.Output);
    }

    [Fact]
    public async Task ExecuteAsync_RunIdAndTaskOutputTemplates_AreSubstituted()
    {
        var values = new Dictionary<string, string> { ["run.id"] = "run-42", ["tasks.a.output.name"] = "it's \"quoted\"" };

        var outcome = await Run(new ShellSpec("echo \"{{ run.id }}/{{ tasks.a.output.name }}/{{ run.id }}\""), values);

        Assert.Equal("run-42/it's \"quoted\"/run-42", outcome.Output);
    }

    [Fact]
    public async Task ExecuteAsync_UnresolvableTemplate_Fails()
    {
        var outcome = await Run(new ShellSpec("echo {{ params.missing }}"));

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("params.missing", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_MissingExecutable_FailsWithClearError()
    {
        var outcome = await Run(new ShellSpec("/nonexistent/program") { Args = [] });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.StartsWith("cannot start '/nonexistent/program'", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_MissingCommandInShell_FailsWith127()
    {
        var outcome = await Run(new ShellSpec("no-such-command-weft"));

        Assert.Equal(127, outcome.ExitCode);
        Assert.Contains("not found", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_MissingWorkDir_FailsWithClearError()
    {
        var outcome = await Run(new ShellSpec("true") { WorkDir = "/nonexistent/dir" });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal("working directory '/nonexistent/dir' does not exist", outcome.Error);
    }

    [Fact]
    public async Task ExecuteAsync_DoesNotReadWorkerStdin()
    {
        var outcome = await Run(new ShellSpec("cat; echo end"));

        Assert.Equal("end", outcome.Output);
    }

    private Task<TaskOutcome> Run(ShellSpec spec, IReadOnlyDictionary<string, string>? values = null, int outputLimit = OutputLimit.DefaultBytes) =>
        _handler.ExecuteAsync(Invocations.For(spec, values, outputLimit: outputLimit)).WithHardTimeout(HardTimeout);
}
