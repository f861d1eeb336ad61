using Weft.Configuration;

namespace Weft.Tests.Configuration;

/// <summary>schema/weft-config.schema.json is generated from the options classes; this keeps the shipped
/// file in step. After changing an option, run with WEFT_WRITE_CONFIG_SCHEMA=1 once to rewrite it.</summary>
public sealed class ConfigSchemaFileTests
{
    private static string Repository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return dir.FullName;
    }

    [Fact]
    public void ExampleFile_IsValid()
    {
        var configuration = WeftConfiguration.Load(new WeftConfigurationRequest
        {
            ConfigPath = Path.Combine(Repository(), "examples", "weft.yaml"),
            Environment = new System.Collections.Hashtable(),
        });

        Assert.Empty(configuration.Errors);
        Assert.Equal("1h", configuration.Describe().Single(e => e.Path == "defaultTaskTimeout").Value);
    }

    [Fact]
    public void ShippedSchema_IsTheOneTheOptionsGenerate()
    {
        var path = Path.Combine(Repository(), "schema", "weft-config.schema.json");
        var generated = ConfigJsonSchema.Generate();
        if (Environment.GetEnvironmentVariable("WEFT_WRITE_CONFIG_SCHEMA") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run this test with WEFT_WRITE_CONFIG_SCHEMA=1");
        Assert.Equal(generated, File.ReadAllText(path));
    }
}
