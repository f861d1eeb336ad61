using System.Text.Json;

namespace Weft.Tests.Install;

/// <summary>What <c>dotnet pack Weft.slnx</c> makes of each library, read from MSBuild's evaluation of
/// its project (as packing sees it, <c>_IsPacking</c>): a real description, a package README that
/// exists, an XML docs file and symbols as .snupkg; the benchmark and tests are not packages.</summary>
public sealed class PackageMetadataTests
{
    [Theory]
    [InlineData("src/Weft.Core/Weft.Core.csproj")]
    [InlineData("src/Weft.Sqlite/Weft.Sqlite.csproj")]
    [InlineData("src/Weft.Postgres/Weft.Postgres.csproj")]
    [InlineData("src/Weft.Sql/Weft.Sql.csproj")]
    [InlineData("src/Weft.Nats/Weft.Nats.csproj")]
    [InlineData("src/Weft.Server/Weft.Server.csproj")]
    [InlineData("src/Weft.Cli/Weft.Cli.csproj")]
    public async Task EveryPackage_HasADescriptionReadmeXmlDocsAndSymbols(string project)
    {
        var p = await EvaluateAsync(project, "Description", "PackageReadmeFile", "GenerateDocumentationFile", "IncludeSymbols", "SymbolPackageFormat", "IsPackable");

        Assert.Equal("true", p["IsPackable"]);
        Assert.True(p["Description"].Length > 60, $"{project}: description '{p["Description"]}'");
        Assert.DoesNotContain("Package Description", p["Description"], StringComparison.Ordinal);
        Assert.Equal("README.md", p["PackageReadmeFile"]);
        Assert.True(File.Exists(Path.Combine(ToolInstallTests.RepoRoot(), Path.GetDirectoryName(project)!, "PackageReadme.md")), $"{project}: no PackageReadme.md");
        Assert.Equal("true", p["IncludeSymbols"]);
        Assert.Equal("snupkg", p["SymbolPackageFormat"]);
        if (!project.Contains("Weft.Cli", StringComparison.Ordinal))
        {
            Assert.Equal("true", p["GenerateDocumentationFile"]);
        }
    }

    [Theory]
    [InlineData("bench/Weft.Bench/Weft.Bench.csproj")]
    [InlineData("tests/Weft.Core.Tests/Weft.Core.Tests.csproj")]
    public async Task TheBenchmarkAndTests_AreNotPackages(string project) =>
        Assert.Equal("false", (await EvaluateAsync(project, "IsPackable"))["IsPackable"]);

    private static async Task<Dictionary<string, string>> EvaluateAsync(string project, params string[] properties)
    {
        var root = ToolInstallTests.RepoRoot();
        string[] args = ["msbuild", Path.Combine(root, project), "-p:Configuration=Release", "-p:_IsPacking=true", .. properties.Select(p => "-getProperty:" + p)];
        var (code, output) = await ToolInstallTests.RunAsync("dotnet", root, TimeSpan.FromMinutes(2), args);
        Assert.True(code == 0, output);
        if (properties.Length == 1)
        {
            return new() { [properties[0]] = output.Trim() }; // one property: its value alone, not JSON
        }

        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
