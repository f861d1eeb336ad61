using Microsoft.Data.Sqlite;
using Weft.Cli;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Commands;

/// <summary>A store that cannot be used (issue #11, item 15): a directory, a file in a directory that
/// does not exist, a read-only or a corrupt database. Each is exit 2 with a message naming the file
/// or directory, nothing is created, and <c>weft status</c> reports a corrupt store unhealthy.</summary>
public sealed class StoreProblemTests : IDisposable
{
    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    [Fact]
    public async Task RunsList_OnADirectory_Exits2SayingItIsADirectory()
    {
        var (exit, output, error) = await WeftAsync("runs", "list", "--store", "sqlite:" + _files.Directory);

        Assert.Equal(2, exit);
        Assert.Contains("is a directory", error, StringComparison.Ordinal);
        Assert.DoesNotContain("no runs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnADirectory_Exits2SayingItIsADirectory()
    {
        var flow = Path.Combine(_files.Directory, _files.Write("hello.yaml", WorkflowFiles.Hello));

        var (exit, _, error) = await WeftAsync("run", flow, "--store", "sqlite:" + _files.Directory);

        Assert.Equal(2, exit);
        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("status")]
    [InlineData("runs list")]
    public async Task StoreInADirectoryThatDoesNotExist_Exits2NamingIt_AndCreatesNothing(string command)
    {
        var missing = Path.Combine(_files.Directory, "no-such", "dir");
        var db = Path.Combine(missing, "x.db");
        string[] args = command == "run" ? ["run", Path.Combine(_files.Directory, _files.Write("hello.yaml", WorkflowFiles.Hello))] : command.Split(' ');

        var (exit, _, error) = await WeftAsync([.. args, "--store", "sqlite:" + db]);

        Assert.Equal(2, exit);
        Assert.Contains($"the directory {missing} does not exist", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_files.Directory, "no-such")), "weft created the missing directories");
    }

    [Fact]
    public async Task DefaultStore_StillCreatesDotWeftUnderTheCurrentDirectory()
    {
        var flow = Path.Combine(_files.Directory, _files.Write("hello.yaml", WorkflowFiles.Hello));

        var run = await WeftProcess.RunAsync(_files.Directory, "run", flow, "--store", "sqlite");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(_files.Directory, ".weft", "weft.db")));
    }

    [Fact]
    public async Task Run_OnAReadOnlyDatabase_Exits2NamingTheFile()
    {
        using var fs = SmallFileSystem.Mount("8m");
        var db = Path.Combine(fs.Directory, "weft.db");
        var flow = Path.Combine(_files.Directory, _files.Write("hello.yaml", WorkflowFiles.Hello));
        Assert.Equal(0, (await WeftAsync("run", flow, "--store", "sqlite:" + db)).Exit);
        SqliteConnection.ClearAllPools();
        fs.MakeReadOnly();

        var (exit, _, error) = await WeftAsync("run", flow, "--store", "sqlite:" + db);

        Assert.True(exit == 2, $"exit {exit}: {error}");
        Assert.Contains(db, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptDatabase_StatusIsUnhealthyAndRunExits2_BothNamingTheFile()
    {
        var db = Path.Combine(_files.Directory, "weft.db");
        // Outputs that do not compress fill the second half of the file with data pages, past the
        // schema's pages (allocated by the migrations at the start), so the damage is in the data.
        var flow = Path.Combine(_files.Directory, _files.Write("noisy.yaml", """
            name: noisy
            tasks:
              a:
                shell: head -c 300000 /dev/urandom | base64 -w 100
            """));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await WeftAsync("run", flow, "--store", "sqlite:" + db)).Exit);
        }

        SqliteConnection.ClearAllPools();
        Corrupt(db);

        var status = await WeftAsync("status", "--store", "sqlite:" + db);
        var run = await WeftAsync("run", flow, "--store", "sqlite:" + db);

        Assert.True(status.Exit == 2, $"status exit {status.Exit}\n{status.Output}\n{status.Error}");
        Assert.Contains("health:     unhealthy", status.Output, StringComparison.Ordinal);
        Assert.Contains($"the store at {db} is damaged", status.Error, StringComparison.Ordinal);
        Assert.True(run.Exit == 2, $"run exit {run.Exit}\n{run.Error}");
        Assert.Contains(db, run.Error, StringComparison.Ordinal);
    }

    // Random bytes over the second half of the file: the header and schema page stay readable, so
    // the store opens, and the damage is where only a check (or a later read) finds it.
    private static void Corrupt(string path)
    {
        var length = new FileInfo(path).Length;
        var garbage = new byte[length - length / 2];
        new Random(11).NextBytes(garbage);
        using var file = File.OpenWrite(path);
        file.Seek(length / 2, SeekOrigin.Begin);
        file.Write(garbage);
    }

    private static async Task<(int Exit, string Output, string Error)> WeftAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.Build(CliIo.Redirected(output, error)).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }
}
