using System.Text.Json;
using Weft.Cli;

namespace Weft.Tests.Bench;

/// <summary><c>weft bench --slots N</c> sets the in-process engine's worker slots (to compare one slot with
/// two, issue #18), and W1 in memory reports the bare thread pool's bound measured beside it.</summary>
public sealed class BenchSlotsTests
{
    [Fact]
    public async Task Slots_W1RunsOnThatManySlots_WhateverTheMachinesCores()
    {
        var (exit, _, error) = await BenchAsync("W1", "--runs", "1", "--slots", "3");

        Assert.True(exit == 0, error);
        var split = error.Split('\n').Single(l => l.StartsWith("W1: tasks per slot ", StringComparison.Ordinal));
        var perSlot = split["W1: tasks per slot ".Length..split.IndexOf(',', StringComparison.Ordinal)].Split(" / ").Select(long.Parse).ToArray();
        Assert.Equal(3, perSlot.Length);
        Assert.Equal(20_000, perSlot.Sum());
    }

    [Fact]
    public async Task W1InMemory_ReportsTheBareThreadPoolBoundAndItsShareOfIt()
    {
        var (exit, output, error) = await BenchAsync("W1", "--runs", "1", "--slots", "1", "--json");

        Assert.True(exit == 0, error);
        var w1 = JsonDocument.Parse(output).RootElement.EnumerateArray().Single();
        var rate = w1.GetProperty("rate").GetDouble();
        var bare = w1.GetProperty("bareRate").GetDouble();
        Assert.True(bare > 0, $"bareRate {bare}");
        Assert.Equal(Math.Round(100 * rate / bare, 1), w1.GetProperty("ofBarePercent").GetDouble(), 1);
        Assert.Equal(0, w1.GetProperty("imbalancePercent").GetDouble()); // one slot ran every task
    }

    [Fact]
    public async Task BareBound_OnlyForW1InMemory()
    {
        var (exit, output, error) = await BenchAsync("W2", "--runs", "1", "--json");

        Assert.True(exit == 0, error);
        Assert.False(JsonDocument.Parse(output).RootElement.EnumerateArray().Single().TryGetProperty("bareRate", out _));
    }

    [Theory]
    [InlineData("postgres://weft@127.0.0.1:1/weft", null, "with --store postgres://… the tasks run on weft worker processes")]
    [InlineData("sqlite:bench.db", "nats://127.0.0.1:1", "with --transport the tasks run on weft worker processes")]
    public async Task Slots_WithACluster_IsRefusedBeforeAnythingStarts(string store, string? transport, string says)
    {
        string[] args = transport is null ? ["W1", "--store", store, "--slots", "2"] : ["W1", "--store", store, "--transport", transport, "--slots", "2"];
        var (exit, _, error) = await BenchAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: --slots 2 sets this process's worker slots; ", error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    public async Task Slots_OutOfRange_IsAUsageErrorNamingTheValue(string value)
    {
        var (exit, _, error) = await BenchAsync("W1", "--slots", value);

        Assert.Equal(2, exit);
        Assert.Contains($"--slots must be between 1 and 1024 (was {value})", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> BenchAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.InvokeAsync(["bench", .. args], CliIo.Redirected(output, error));
        return (exit, output.ToString(), error.ToString());
    }
}
