using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>The task field <c>cache:</c> in files and back out through DefinitionJson.</summary>
public sealed class CacheFieldTests
{
    private static TaskDefinition Task(string yaml) =>
        WorkflowLoader.Parse(Loading.Text(yaml), "flow.yaml").Tasks[0];

    [Fact]
    public void Parse_CacheTrue_TakesTheDefaults()
    {
        var task = Task("""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache: true
            """);

        Assert.Equal(CachePolicy.Default, task.Cache);
    }

    [Fact]
    public void Parse_CacheFalseOrAbsent_MeansNoCaching()
    {
        Assert.Null(Task("""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache: false
            """).Cache);
        Assert.Null(Task("""
            name: etl
            tasks:
              a:
                shell: echo hi
            """).Cache);
    }

    [Fact]
    public void Parse_LongForm_ReadsTtlAndKey()
    {
        var task = Task("""
            name: etl
            params:
              date: {}
            tasks:
              a:
                shell: echo hi
                cache: { ttl: 1h30m, key: "orders-{{ params.date }}" }
            """);

        Assert.Equal(new CachePolicy(TimeSpan.FromMinutes(90), "orders-{{ params.date }}"), task.Cache);
    }

    [Fact]
    public void Parse_BadTtl_ReportsItsPlace()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache:
                  ttl: soon
            """, 6, 12);

        Assert.Equal("bad duration 'soon' for 'ttl'; expected e.g. 250ms, 10s, 5m, 2h, 1d or PT5M", error.Message);
    }

    [Fact]
    public void Parse_ZeroTtl_IsAnError()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache: { ttl: 0s }
            """, 5, 19);

        Assert.Equal("'ttl' of cache in task 'a' must be positive, not '0s'", error.Message);
    }

    [Fact]
    public void Parse_UnknownCacheField_SuggestsTheField()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache:
                  tll: 1h
            """, 6, 7);

        Assert.Equal("unknown field 'tll' in cache in task 'a' (did you mean 'ttl'?)", error.Message);
    }

    [Fact]
    public void Parse_CacheOfWrongShape_ReportsItsPlace()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache: [1]
            """, 5, 12);

        Assert.StartsWith("'cache' in task 'a' must be true, false or a mapping with ttl and key", error.Message);
    }

    [Fact]
    public void Parse_MalformedKeyTemplate_ReportsTheKey()
    {
        var error = Loading.Single("""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache: { key: "x-{{ params.d" }
            """, 5, 22);

        Assert.StartsWith("template in task 'a': unterminated template expression", error.Message);
    }

    [Fact]
    public void Parse_KeyNamingAnUnknownParam_ReportsItInTheKey()
    {
        var error = Loading.Single("""
            name: etl
            params:
              date: {}
            tasks:
              a:
                shell: echo hi
                cache: { key: "x-{{ params.day }}" }
            """, 7, 22);

        Assert.Equal("template in task 'a' names unknown param 'day'", error.Message);
    }

    [Fact]
    public void Builder_Cache_MatchesTheFile()
    {
        var fromYaml = Task("""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache: { ttl: 2h, key: fixed }
            """);

        var built = Workflow.Create("etl").Task("a", t => t.Shell("echo hi").Cache(new CachePolicy(TimeSpan.FromHours(2), "fixed"))).Build();

        Assert.Equal(fromYaml.Cache, built.Tasks[0].Cache);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("{ ttl: 2h }")]
    [InlineData("{ key: \"k-{{ run.id }}\" }")]
    [InlineData("{ ttl: 250ms, key: fixed }")]
    public void DefinitionJson_Cache_RoundTrips(string cache)
    {
        var definition = WorkflowLoader.Parse(Loading.Text($"""
            name: etl
            tasks:
              a:
                shell: echo hi
                cache: {cache}
            """), "flow.yaml");

        var again = WorkflowLoader.Parse(DefinitionJson.Write(definition), "stored.json");

        Assert.NotNull(again.Tasks[0].Cache);
        Assert.Equal(definition.Tasks[0].Cache, again.Tasks[0].Cache);
        Assert.Equal(DefinitionJson.Write(definition), DefinitionJson.Write(again));
    }
}
