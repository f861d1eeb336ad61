using Weft.Configuration;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers.Containers;
using Weft.Testing;
using static Weft.Tests.Handlers.Containers.ContainerInvocations;

namespace Weft.Tests.Handlers.Containers;

/// <summary>container: tasks on a real podman (tests/Shared/TestPodman.cs): output, stderr and exit
/// code, template values as data, and what happens to the container when an attempt ends.</summary>
public sealed class ContainerHandlerTests
{
    [Fact]
    public async Task Succeeds_WithStdoutAsOutput_StderrKept_AndNoContainerLeft()
    {
        var invocation = For(Box("sh", "-c", "echo hello from the box; echo a warning >&2"));

        var outcome = await Handler().ExecuteAsync(invocation).WithHardTimeout(Limit);

        Assert.True(outcome.IsSuccess, outcome.Error + "\n" + outcome.Stderr);
        Assert.Equal("hello from the box", outcome.Output);
        Assert.Equal("a warning", outcome.Stderr);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Empty(ContainersOf(invocation.RunId));
    }

    [Fact]
    public async Task Script_RunsInTheImagesShell_WithEnvWorkdirAndUser()
    {
        var spec = Box() with
        {
            Script = "echo \"$GREETING\" from \"$(pwd)\" as \"$(id -u)\"",
            Env = new Dictionary<string, string> { ["GREETING"] = "hi {{ params.who }}" },
            WorkDir = "/bin",
            User = "1234:1234",
        };

        var outcome = await Handler().ExecuteAsync(For(spec, new Dictionary<string, string> { ["params.who"] = "there" })).WithHardTimeout(Limit);

        Assert.True(outcome.IsSuccess, outcome.Error + "\n" + outcome.Stderr);
        Assert.Equal("hi there from /bin as 1234", outcome.Output);
    }

    [Theory]
    [InlineData("$(id)")]
    [InlineData("`id`")]
    [InlineData("x; echo INJECTED")]
    [InlineData("\"; echo INJECTED; \"")]
    [InlineData("' && echo INJECTED && '")]
    public async Task TemplateValues_ReachTheContainerAsData_NeverAsCode(string value)
    {
        var values = new Dictionary<string, string> { ["params.v"] = value };
        var viaEnv = Box() with { Script = "printf '%s|' \"$V\" \"{{ params.v }}\"", Env = new Dictionary<string, string> { ["V"] = "{{ params.v }}" } };
        var viaArgs = Box("printf", "%s|", "{{ params.v }}", "--x={{ params.v }}");

        var fromScript = await Handler().ExecuteAsync(For(viaEnv, values)).WithHardTimeout(Limit);
        var fromArgs = await Handler().ExecuteAsync(For(viaArgs, values)).WithHardTimeout(Limit);

        Assert.True(fromScript.IsSuccess, fromScript.Error + "\n" + fromScript.Stderr);
        Assert.Equal($"{value}|{value}|", fromScript.Output);
        Assert.True(fromArgs.IsSuccess, fromArgs.Error + "\n" + fromArgs.Stderr);
        Assert.Equal($"{value}|--x={value}|", fromArgs.Output);
    }

    [Fact]
    public async Task NonZeroExit_FailsWithTheExitCodeAndTheLastStderrLine()
    {
        var invocation = For(Box("sh", "-c", "echo partial; echo disk full >&2; exit 3"));

        var outcome = await Handler().ExecuteAsync(invocation).WithHardTimeout(Limit);

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("exit code 3: disk full", outcome.Error);
        Assert.Equal("partial", outcome.Output);
        Assert.Empty(ContainersOf(invocation.RunId));
    }

    [Fact]
    public async Task Cancelled_KillsAndRemovesTheContainer()
    {
        using var cancel = new CancellationTokenSource();
        var invocation = For(Box("sleep", "300"), cancellationToken: cancel.Token);

        var running = Handler().ExecuteAsync(invocation).WithHardTimeout(Limit);
        await WaitUntilAsync(() => ContainersOf(invocation.RunId).Count == 1);
        cancel.Cancel();
        var outcome = await running;

        Assert.Equal(TaskOutcomeStatus.Cancelled, outcome.Status);
        Assert.Empty(ContainersOf(invocation.RunId));
    }

    [Fact]
    public async Task NextAttempt_RemovesWhatADeadWorkersAttemptLeftByName()
    {
        var runId = NewRunId();
        var leftover = ContainerNames.For(runId, "box", 1);
        // As a worker that died mid-attempt leaves it: running, named and labelled by weft.
        var (exit, output) = TestPodman.Run(
            "run", "-d", "--network=none", "--name", leftover, "--label", "weft.key=" + ContainerNames.Key(runId, "box"), TestPodman.Image, "sleep", "300");
        Assert.True(exit == 0, output);

        var outcome = await Handler().ExecuteAsync(For(Box("echo", "second"), runId: runId, attempt: 2)).WithHardTimeout(Limit);

        Assert.True(outcome.IsSuccess, outcome.Error + "\n" + outcome.Stderr);
        Assert.Equal("second", outcome.Output);
        Assert.Empty(ContainersOf(runId));
    }

    [Fact]
    public async Task Keep_LeavesTheEndedContainerForInspection()
    {
        var invocation = For(Box("echo", "kept") with { Keep = true });

        var outcome = await Handler().ExecuteAsync(invocation).WithHardTimeout(Limit);

        Assert.True(outcome.IsSuccess, outcome.Error + "\n" + outcome.Stderr);
        Assert.Equal([ContainerNames.For(invocation.RunId, "box", 1)], ContainersOf(invocation.RunId));
        TestPodman.Run("rm", "-f", ContainerNames.For(invocation.RunId, "box", 1));
    }

    [Fact]
    public async Task PullNever_WithAMissingImage_FailsNamingTheImage()
    {
        var spec = new ContainerSpec("localhost/weft-absent:404") { Command = ["true"], Pull = PullPolicy.Never };

        var outcome = await Handler().ExecuteAsync(For(spec)).WithHardTimeout(Limit);

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal("image 'localhost/weft-absent:404' is not present locally and the task's pull policy is never", outcome.Error);
        Assert.Null(outcome.ExitCode);
    }

    [Fact]
    public async Task FailedPull_FailsNamingTheImageAndTheRuntimesReason()
    {
        // Port 1 on loopback refuses at once: the pull fails without any network.
        var spec = new ContainerSpec("127.0.0.1:1/weft/absent:1") { Command = ["true"] };

        var outcome = await Handler().ExecuteAsync(For(spec)).WithHardTimeout(Limit);

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.StartsWith("pulling image '127.0.0.1:1/weft/absent:1' failed: ", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("connection refused", outcome.Error, StringComparison.Ordinal);
        Assert.Null(outcome.ExitCode);
    }

    [Fact]
    public async Task MissingRuntime_FailsNamingTheImageAndTheProgram()
    {
        var handler = new ContainerHandler(new ContainerSettings { Runtime = ContainerRuntime.Podman, Path = "/nonexistent/podman" });

        var outcome = await handler.ExecuteAsync(For(Box("true"))).WithHardTimeout(Limit);

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal($"cannot run image '{TestPodman.Image}': the container runtime '/nonexistent/podman' (containers.path) was not found", outcome.Error);
    }

    [Fact]
    public async Task ImageThatReadsAsAnOption_FailsWithoutRunningAnything()
    {
        var outcome = await Handler().ExecuteAsync(For(new ContainerSpec("{{ params.image }}"), new Dictionary<string, string> { ["params.image"] = "--privileged" }))
            .WithHardTimeout(Limit);

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal("the image must be an image reference such as alpine:3.20, not '--privileged'", outcome.Error);
    }

    [Fact]
    public async Task ACustomSpecNamedContainer_FailsTheTaskInsteadOfCrashing()
    {
        var invocation = For(Box()) with { Spec = new CustomSpec("container", null) };

        var outcome = await Handler().ExecuteAsync(invocation).WithHardTimeout(Limit);

        Assert.Equal("task 'box' has kind 'container' but its spec is a CustomSpec, not a ContainerSpec", outcome.Error);
    }

    [Fact]
    public async Task Output_IsCutAtTheOutputLimit_LikeAShellTasks()
    {
        var outcome = await Handler().ExecuteAsync(For(Box("sh", "-c", "yes x | head -c 100000"), outputLimit: 1000)).WithHardTimeout(Limit);

        Assert.True(outcome.IsSuccess, outcome.Error);
        Assert.True(outcome.OutputTruncated);
        Assert.Contains("[output truncated: 100000 bytes, limit 1000]", outcome.Output, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}
