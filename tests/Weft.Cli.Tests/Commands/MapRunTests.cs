using System.Text.Json;
using Weft.Cli;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Commands;

/// <summary><c>weft run</c> of a map task on SQLite, then <c>weft runs show</c>: each instance is a
/// task of its own (<c>square[2]</c>) in the text and in the JSON, and the map task's output is the
/// array of theirs.</summary>
public sealed class MapRunTests : IDisposable
{
    private const string Flow = """
        name: squares
        tasks:
          list:
            shell: echo '[3, 4, 5]'
          square:
            dependsOn: list
            map: { over: "{{ tasks.list.output }}", maxParallel: 2 }
            shell: 'n="{{ item }}"; echo $((n * n))'
          report:
            dependsOn: square
            shell: 'echo "squares: {{ tasks.square.output }}"'
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    private static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task RunsShow_ListsEachInstanceAndTheArrayOfTheirOutputs()
    {
        var flow = Path.Combine(_files.Directory, _files.Write("flow.yaml", Flow));
        var store = "sqlite:" + Path.Combine(_files.Directory, "runs.db");
        var (exit, output, err) = await InvokeAsync("run", flow, "--store", store, "--json");
        Assert.True(exit == 0, err);
        var runId = JsonDocument.Parse(output).RootElement.GetProperty("runId").GetString()!;

        var show = await InvokeAsync("runs", "show", runId, "--store", store, "--json");
        var text = await InvokeAsync("runs", "show", runId, "--store", store);

        var tasks = JsonDocument.Parse(show.Out).RootElement.GetProperty("tasks");
        Assert.Equal("[9,16,25]", tasks.GetProperty("square").GetProperty("output").GetString());
        Assert.Equal("squares: [9,16,25]", tasks.GetProperty("report").GetProperty("output").GetString());
        Assert.Equal("16", tasks.GetProperty("square[1]").GetProperty("output").GetString());
        Assert.Equal("shell", tasks.GetProperty("square[2]").GetProperty("kind").GetString());
        Assert.Contains("square[0]", text.Out);
        Assert.Contains("square[2]", text.Out);
    }
}
