using System.Text.Json;
using Weft.Cli;

namespace Weft.Server.Tests;

/// <summary><c>weft run FILE --server</c> of a workflow whose task names a child workflow by a path: the
/// server cannot read files beside the user's, so the CLI sends the children with the definition.</summary>
public sealed class ChildRemoteRunTests
{
    private const string Parent = """
        name: parent-remote
        tasks:
          load:
            workflow: children/load.yaml
            params: { region: eu }
          report:
            dependsOn: load
            shell: 'echo "got {{ tasks.load.output.extract }}"'
        """;

    private const string Child = """
        name: load-remote
        params:
          region: { required: true }
        tasks:
          extract:
            shell: 'echo "rows of {{ params.region }}"'
        """;

    [Fact]
    public async Task Run_FileWithAChildByPath_OnAServer_RunsTheChildFromTheUsersFile()
    {
        var directory = Directory.CreateTempSubdirectory("weft-child-remote-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "children"));
            await File.WriteAllTextAsync(Path.Combine(directory, "parent.yaml"), Parent);
            await File.WriteAllTextAsync(Path.Combine(directory, "children", "load.yaml"), Child);
            await using var server = await TestServer.StartAsync();

            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await WeftCli.InvokeAsync(["run", Path.Combine(directory, "parent.yaml"), "--server", server.Address, "--json"], CliIo.Redirected(output, error));

            Assert.True(code == 0, $"{output}\n{error}");
            var run = JsonDocument.Parse(output.ToString()).RootElement;
            Assert.Equal("succeeded", run.GetProperty("state").GetString());
            Assert.Equal("got rows of eu", run.GetProperty("tasks").GetProperty("report").GetProperty("output").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
