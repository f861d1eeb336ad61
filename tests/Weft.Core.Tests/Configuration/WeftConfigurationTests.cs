using System.Collections;
using Microsoft.Extensions.Configuration;
using Weft.Configuration;
using Weft.Definitions;

namespace Weft.Tests.Configuration;

public sealed class WeftConfigurationTests
{
    private static WeftConfiguration Load(ConfigFiles files, string? configPath = null, IDictionary? env = null, params ConfigFlag[] flags) =>
        WeftConfiguration.Load(new WeftConfigurationRequest
        {
            ConfigPath = configPath,
            WorkingDirectory = files.Directory,
            Environment = env ?? new Hashtable(),
            Flags = flags,
        });

    private static WeftOptions Applied(WeftConfiguration configuration)
    {
        Assert.Empty(configuration.Errors);
        var options = new WeftOptions();
        configuration.ApplyTo(options);
        return options;
    }

    [Fact]
    public void Load_WeftYamlInTheWorkingDirectory_SetsTheSameOptionsCSharpSets()
    {
        using var files = new ConfigFiles();
        files.Write("weft.yaml", """
            pool:
              minWorkers: 3
              maxWorkers: 12
              strategy: roundRobin
              coolDown: 5s
            queueLimit: 50
            dedupWindow: 2m
            retention: null
            defaultTaskTimeout: 10m
            defaultRetry:
              strategy: exponential
              maxAttempts: 4
              delay: 2s
            cache:
              eviction: lfu
              maxEntries: 10
            breakers:
              failureThreshold: 7
            monitor:
              warningBytes: 1000
              criticalBytes: 2000
            pools:
              db: 4
            rateLimits:
              api: 10/s
            plugins: [lib/Functions.dll]
            server:
              token: s3cretToken
            """);

        var configuration = Load(files);
        var options = Applied(configuration);

        Assert.Equal((3, 12), (options.Pool.MinWorkers, options.Pool.MaxWorkers));
        Assert.Equal(SlotStrategy.RoundRobin, options.Pool.Strategy);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Pool.CoolDown);
        Assert.Equal(50, options.QueueLimit);
        Assert.Equal(TimeSpan.FromMinutes(2), options.DedupWindow);
        Assert.Null(options.Retention);
        Assert.Equal(TimeSpan.FromMinutes(10), options.DefaultTaskTimeout);
        Assert.Equal(new RetryPolicy { Strategy = RetryStrategy.Exponential, MaxAttempts = 4, Delay = TimeSpan.FromSeconds(2) }, options.DefaultRetry);
        Assert.Equal(CacheEviction.Lfu, options.Cache.Eviction);
        Assert.Equal(7, options.Breakers.FailureThreshold);
        Assert.Equal(4, options.Pools["db"]);
        Assert.Equal(new RateLimit(10, TimeSpan.FromSeconds(1)), options.RateLimits["api"]);
        Assert.Equal(["lib/Functions.dll"], configuration.Settings.Plugins);
        Assert.Equal("s3cretToken", configuration.Settings.Server.Token);
        Assert.EndsWith("weft.yaml", configuration.FilePath);
    }

    [Fact]
    public void Load_NothingConfigured_KeepsTheOptionsDefaults()
    {
        using var files = new ConfigFiles();
        var options = Applied(Load(files));
        var defaults = new WeftOptions();
        Assert.Equal((2, 16), (options.Pool.MinWorkers, options.Pool.MaxWorkers));
        Assert.Equal(defaults.QueueLimit, options.QueueLimit);
        Assert.Equal(defaults.Retention, options.Retention);
        Assert.Null(options.DefaultRetry);
    }

    [Fact]
    public void Load_JsonFileGivenByWeftConfig_IsRead()
    {
        using var files = new ConfigFiles();
        var path = files.Write("prod.json", """{ "$schema": "https://example.com/weft-config.schema.json", "queueLimit": 9, "pool": { "maxWorkers": 5 } }""");
        var options = Applied(Load(files, env: new Hashtable { ["WEFT_CONFIG"] = path }));
        Assert.Equal(9, options.QueueLimit);
        Assert.Equal(5, options.Pool.MaxWorkers);
    }

    [Fact]
    public void Load_ConfigPathWinsOverWeftConfigAndTheWorkingDirectory()
    {
        using var files = new ConfigFiles();
        files.Write("weft.yaml", "queueLimit: 1");
        var named = files.Write("named.yaml", "queueLimit: 2");
        var given = files.Write("given.yaml", "queueLimit: 3");
        Assert.Equal(3, Applied(Load(files, given, new Hashtable { ["WEFT_CONFIG"] = named })).QueueLimit);
        Assert.Equal(2, Applied(Load(files, env: new Hashtable { ["WEFT_CONFIG"] = named })).QueueLimit);
        Assert.Equal(1, Applied(Load(files)).QueueLimit);
    }

    [Fact]
    public void Load_MissingConfigPath_IsAnError()
    {
        using var files = new ConfigFiles();
        var configuration = Load(files, Path.Combine(files.Directory, "nope.yaml"));
        Assert.Contains(configuration.Errors, e => e.Contains("configuration file not found", StringComparison.Ordinal) && e.Contains("--config", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EnvironmentBeatsFile_FlagBeatsEnvironment()
    {
        using var files = new ConfigFiles();
        files.Write("weft.yaml", "queueLimit: 1\npool:\n  maxWorkers: 4\ncache:\n  maxEntries: 7\n");
        var env = new Hashtable { ["WEFT__POOL__MAXWORKERS"] = "16", ["WEFT__QUEUELIMIT"] = "2", ["WEFT_STORE"] = "memory" };

        var configuration = Load(files, env: env, flags: new ConfigFlag("QueueLimit", "3", "--queue-limit"));
        var options = Applied(configuration);

        Assert.Equal((2, 16), (options.Pool.MinWorkers, options.Pool.MaxWorkers));
        Assert.Equal(3, options.QueueLimit);
        Assert.Equal(7, options.Cache.MaxEntries);
        var entries = configuration.Describe().ToDictionary(e => e.Path);
        Assert.Equal(("16", "env WEFT__POOL__MAXWORKERS"), (entries["pool.maxWorkers"].Value, entries["pool.maxWorkers"].Source));
        Assert.Equal(("3", "flag --queue-limit"), (entries["queueLimit"].Value, entries["queueLimit"].Source));
        Assert.Equal("weft.yaml:5", Path.GetFileName(entries["cache.maxEntries"].Source));
        Assert.Equal("default", entries["dedupWindow"].Source);
    }

    [Fact]
    public void Load_WorkersFlagOverAFilePool_FixesThePool()
    {
        using var files = new ConfigFiles();
        files.Write("weft.yaml", "pool:\n  minWorkers: 2\n  maxWorkers: 8\n");
        var options = Applied(Load(files, flags: new ConfigFlag("Workers", "5", "--workers")));
        Assert.Equal((5, 5), (options.Pool.MinWorkers, options.Pool.MaxWorkers));

        var preset = new WeftOptions { Workers = 16 };
        Load(files).ApplyTo(preset);
        Assert.Equal((2, 8), (preset.Pool.MinWorkers, preset.Pool.MaxWorkers));
    }

    [Fact]
    public void Load_BadValue_NamesFileLineColumnPathAndWhatIsAllowed()
    {
        using var files = new ConfigFiles();
        var path = files.Write("weft.yaml", "queueLimit: 10\npool:\n  strategy: fastest\n  coolDown: soon\n");

        var errors = Load(files).Errors;

        Assert.Contains($"{path}:3:13: pool.strategy: 'fastest' is not allowed; expected one of leastBusy, roundRobin, weighted, random", errors);
        Assert.Contains(errors, e => e.StartsWith($"{path}:4:13: pool.coolDown: 'soon' is not allowed; expected a duration such as 250ms, 10s", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ValueOutOfRange_PointsAtTheValue()
    {
        using var files = new ConfigFiles();
        var path = files.Write("weft.yaml", "pool:\n  minWorkers: 8\n  maxWorkers: 4\nqueueLimit: 0\n");
        var errors = Load(files).Errors;
        Assert.Contains(errors, e => e.StartsWith($"{path}:3:15: pool.maxWorkers: Pool.MaxWorkers must be between", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{path}:4:13: queueLimit: QueueLimit must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownKey_SuggestsTheClosestKnownOne()
    {
        using var files = new ConfigFiles();
        var path = files.Write("weft.yaml", "pool:\n  maxWorkrs: 4\nqueueLimt: 3\n");

        var errors = Load(files, env: new Hashtable { ["WEFT__CACHE__MAXENTRES"] = "1" }).Errors;

        Assert.Contains($"{path}:2:3: unknown key 'maxWorkrs' in pool (did you mean 'maxWorkers'?)", errors);
        Assert.Contains($"{path}:3:1: unknown key 'queueLimt' at the top level (did you mean 'queueLimit'?)", errors);
        Assert.Contains("env WEFT__CACHE__MAXENTRES: unknown key 'MAXENTRES' in cache (did you mean 'maxEntries'?)", errors);
    }

    [Fact]
    public void Load_VariablesOfTheServersOwnOptions_AreNotUnknownKeys()
    {
        using var files = new ConfigFiles();
        var env = new Hashtable { ["WEFT__TOKEN"] = "abcdefgh12", ["Weft__AllowedHosts__0"] = "weft.internal" };
        Assert.Empty(Load(files, env: env).Errors);

        files.Write("weft.yaml", "token: abc\n");
        Assert.Contains(Load(files).Errors, e => e.Contains("unknown key 'token' at the top level", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_YamlSyntaxError_IsOneErrorWithItsPlace()
    {
        using var files = new ConfigFiles();
        var path = files.Write("weft.yaml", "pool: [unclosed\n");
        var error = Assert.Single(Load(files).Errors);
        Assert.StartsWith(path + ":", error);
        Assert.Contains("YAML syntax error", error);
    }

    [Fact]
    public void Load_SectionGivenAValue_SaysItIsASection()
    {
        using var files = new ConfigFiles();
        var path = files.Write("weft.yaml", "pool: 4\n");
        Assert.Contains(Load(files).Errors, e => e.StartsWith($"{path}:1:7: pool: is a section (", StringComparison.Ordinal));
    }

    [Fact]
    public void Describe_MasksTokensAndConnectionStringPasswords()
    {
        using var files = new ConfigFiles();
        files.Write("weft.yaml", """
            server:
              token: s3cretToken
            store: postgres://weft:hunter2@db:5432/weft
            connections:
              billing:
                connectionString: Host=db;Username=app;Password=hunter2;Database=billing
            """);

        var entries = Load(files).Describe().ToDictionary(e => e.Path);

        Assert.Equal("***", entries["server.token"].Value);
        Assert.Equal("postgres://weft:***@db:5432/weft", entries["store"].Value);
        Assert.Equal("Host=db;Username=app;Password=***;Database=billing", entries["connections.billing.connectionString"].Value);
        Assert.DoesNotContain(entries.Values, e => e.Value.Contains("hunter2", StringComparison.Ordinal) || e.Value.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void BindSection_HostConfiguration_BindsTheEngineOptionsAndLeavesHostKeys()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Weft:Pool:MaxWorkers"] = "6", ["Weft:Token"] = "abcdefgh", ["Weft:QueueLimit"] = "x" })
            .Build().GetSection("Weft");
        var options = new WeftOptions();

        var errors = WeftConfiguration.BindSection(section, options);

        Assert.Equal(["Weft:QueueLimit: queueLimit: 'x' is not allowed; expected a whole number"], errors);
        section["QueueLimit"] = "5";
        Assert.Empty(WeftConfiguration.BindSection(section, options));
        Assert.Equal((6, 5), (options.Pool.MaxWorkers, options.QueueLimit));
    }
}
