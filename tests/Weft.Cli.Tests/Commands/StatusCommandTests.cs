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
    public async Task Status_ShowsTheMachinesCpuNextToMemory_AsProcStatDoes()
    {
        var output = new StringWriter();
        var root = Weft.Cli.WeftCli.Build(Weft.Cli.CliIo.Redirected(output, new StringWriter()));
        var before = ProcStat();

        var exit = await root.Parse(["status", "--store", "memory", "--json"]).InvokeAsync();

        var after = ProcStat();
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output.ToString());
        var r = doc.RootElement;
        Assert.Equal(Environment.ProcessorCount, r.GetProperty("cores").GetInt32());
        var busy = r.GetProperty("cpuBusy").GetDouble();
        var ioWait = r.GetProperty("cpuIoWait").GetDouble();
        Assert.InRange(busy, 0, 1);
        Assert.InRange(ioWait, 0, 1);
        Assert.InRange(r.GetProperty("processCpu").GetDouble(), 0, 1);

        // Its window lies inside the one read here around the command: on a steady machine the two
        // agree; allow for the load changing between them (15 points, the test suite runs beside it).
        var total = (double)(after.Total - before.Total);
        Assert.InRange(busy, ((after.Busy - before.Busy) / total) - 0.15, ((after.Busy - before.Busy) / total) + 0.15);

        var text = new StringWriter();
        await Weft.Cli.WeftCli.Build(Weft.Cli.CliIo.Redirected(text, new StringWriter())).Parse(["status", "--store", "memory"]).InvokeAsync();
        Assert.Matches(@"(?m)^cpu: +\d+% of \d+ cores in use \(weft \d+%\), \d+% I/O wait\r?$", text.ToString());
        Assert.Matches(@"(?m)^memory: ", text.ToString());
    }

    private static (long Busy, long Total) ProcStat()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7], f.Sum());
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
