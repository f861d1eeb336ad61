using System.Diagnostics;
using System.Text.Json;

namespace Weft.Tests.Install;

/// <summary>Which builds of weft carry <c>weft bench</c> (bench/Weft.Bench): the README's first
/// <c>dotnet run</c> (Debug) must not build the benchmark project; Release builds, <c>dotnet publish</c>
/// and <c>dotnet pack</c> (the installed tool, the container image) must. Read from MSBuild's evaluation
/// of src/Weft.Cli, as the SDK sees it for each command (publish and pack set _IsPublishing/_IsPacking).</summary>
public sealed class BenchInBuildTests
{
    [Theory]
    [InlineData("Debug", "", false)]
    [InlineData("Release", "", true)]
    [InlineData("Debug", "-p:_IsPublishing=true", true)]
    [InlineData("Debug", "-p:_IsPacking=true", true)]
    [InlineData("Release", "-p:WeftBench=false", false)]
    [InlineData("Debug", "-p:WeftBench=true", true)]
    public async Task TheBenchmarkIsReferencedAndCompiledIn_OnlyWhereItIsRunForReal(string configuration, string extra, bool expected)
    {
        var project = Path.Combine(ToolInstallTests.RepoRoot(), "src", "Weft.Cli", "Weft.Cli.csproj");
        string[] args = ["msbuild", project, $"-p:Configuration={configuration}", "-getItem:ProjectReference", "-getProperty:DefineConstants", .. extra.Length > 0 ? new[] { extra } : []];
        var (code, output) = await ToolInstallTests.RunAsync("dotnet", ToolInstallTests.RepoRoot(), TimeSpan.FromMinutes(2), args);
        Assert.True(code == 0, output);

        using var json = JsonDocument.Parse(output);
        var references = json.RootElement.GetProperty("Items").GetProperty("ProjectReference").EnumerateArray()
            .Select(r => Path.GetFileName(r.GetProperty("Identity").GetString()!)).ToList();
        var constants = json.RootElement.GetProperty("Properties").GetProperty("DefineConstants").GetString()!.Split(';');

        Assert.Equal(expected, references.Contains("Weft.Bench.csproj"));
        Assert.Equal(expected, constants.Contains("WEFT_BENCH"));
        Assert.Contains("Weft.Server.csproj", references);
    }

    [Fact]
    public void WithoutTheBenchmark_WeftBenchSaysHowToGetIt()
    {
        // The Debug build's action prints this (exit 2); the tests run a Release build, which has the bench.
        Assert.StartsWith("error: weft bench is not in this build.", Weft.Cli.Commands.BenchCommand.NotInThisBuild, StringComparison.Ordinal);
        Assert.Contains("dotnet run -c Release --project src/Weft.Cli -- bench", Weft.Cli.Commands.BenchCommand.NotInThisBuild, StringComparison.Ordinal);
        Assert.Contains("scripts/install-weft.sh", Weft.Cli.Commands.BenchCommand.NotInThisBuild, StringComparison.Ordinal);
    }
}
