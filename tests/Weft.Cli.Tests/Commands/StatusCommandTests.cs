using System.Text.Json;

namespace Weft.Tests.Commands;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_Json_PrintsOneDocumentWithHealthSlotsQueueAndStore()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = Weft.Cli.WeftCli.Build(Weft.Cli.CliIo.Redirected(output, error));

        var exit = await root.Parse(["status", "--store", "memory", "--json"]).InvokeAsync();

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output.ToString());
        var r = doc.RootElement;
        Assert.Equal("healthy", r.GetProperty("health").GetString());
        Assert.Equal(16, r.GetProperty("slots").GetProperty("total").GetInt32());
        Assert.Equal(0, r.GetProperty("queueDepth").GetProperty("critical").GetInt32());
        Assert.Equal("memory", r.GetProperty("store").GetProperty("name").GetString());
        Assert.Equal(0, r.GetProperty("store").GetProperty("runs").GetProperty("succeeded").GetInt32());
        Assert.Equal(JsonValueKind.Array, r.GetProperty("store").GetProperty("unfinished").ValueKind);
    }

    [Fact]
    public async Task Status_UnknownStore_Exits2()
    {
        var error = new StringWriter();
        var root = Weft.Cli.WeftCli.Build(Weft.Cli.CliIo.Redirected(TextWriter.Null, error));

        var exit = await root.Parse(["status", "--store", "mysql://x"]).InvokeAsync();

        Assert.Equal(2, exit);
        Assert.Contains("unknown store 'mysql://x'", error.ToString(), StringComparison.Ordinal);
    }
}
