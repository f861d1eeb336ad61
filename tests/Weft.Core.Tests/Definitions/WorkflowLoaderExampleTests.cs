using System.Text.Json.Nodes;
using Weft.Definitions;

namespace Weft.Tests.Definitions;

public sealed class WorkflowLoaderExampleTests
{
    internal const string Example = """
        name: nightly-etl
        description: free text
        params:
          date: "2025-01-01"
        defaults:
          timeout: 5m
          retry: { strategy: exponential, maxAttempts: 3, delay: 1s }
        tasks:
          extract:
            http: GET http://127.0.0.1:8080/data
          transform:
            shell: ./transform.sh {{ params.date }}
            dependsOn: [extract]
            timeout: 10m
            retry:
              strategy: fixed
              maxAttempts: 5
              delay: 500ms
              maxDelay: 30s
              multiplier: 2
              jitter: true
              retryOn: [exit:75, http:5xx, http:429, timeout]
            priority: high
          report:
            function: render-report
            with: { format: pdf }
            dependsOn: [transform]
            trigger: all_done
          wait:
            sleep: 2s
          marker:
            noop: {}
        """;

    [Fact]
    public void Parse_FullExample_LoadsWorkflowFields()
    {
        var def = WorkflowLoader.Parse(Loading.Text(Example), "etl.yaml");

        Assert.Equal("nightly-etl", def.Name);
        Assert.Equal("free text", def.Description);
        var param = Assert.Single(def.Params);
        Assert.Equal("date", param.Name);
        Assert.Equal("2025-01-01", param.Default);
        Assert.Equal(new SourceLocation("etl.yaml", 4, 3), param.Location);
        Assert.Equal(["extract", "transform", "report", "wait", "marker"], def.Tasks.Select(t => t.Id));
        Assert.Equal(new SourceLocation("etl.yaml", 11, 3), def.Tasks[1].Location);
        Assert.Null(def.SourcePath);
    }

    [Fact]
    public void Parse_FullExample_TaskWithoutOwnSettingsTakesDefaults()
    {
        var extract = WorkflowLoader.Parse(Loading.Text(Example), "etl.yaml").Tasks[0];

        Assert.Equal(new HttpSpec("GET", "http://127.0.0.1:8080/data"), extract.Spec);
        Assert.Equal(TimeSpan.FromMinutes(5), extract.Timeout);
        Assert.Equal(RetryStrategy.Exponential, extract.Retry.Strategy);
        Assert.Equal(3, extract.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), extract.Retry.Delay);
        Assert.Null(extract.Retry.RetryOn);
        Assert.Empty(extract.DependsOn);
        Assert.Equal(TaskPriority.Normal, extract.Priority);
        Assert.Equal(TriggerRule.AllSuccess, extract.Trigger);
    }

    [Fact]
    public void Parse_FullExample_TaskOwnSettingsReplaceDefaults()
    {
        var transform = WorkflowLoader.Parse(Loading.Text(Example), "etl.yaml").Tasks[1];

        var shell = Assert.IsType<ShellSpec>(transform.Spec);
        Assert.Equal("./transform.sh {{ params.date }}", shell.Command);
        Assert.Null(shell.Args);
        Assert.Equal(["extract"], transform.DependsOn);
        Assert.Equal(TimeSpan.FromMinutes(10), transform.Timeout);
        Assert.Equal(TaskPriority.High, transform.Priority);
        var expected = new RetryPolicy
        {
            Strategy = RetryStrategy.Fixed,
            MaxAttempts = 5,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(30),
            Multiplier = 2,
            Jitter = true,
        };
        Assert.Equal(expected, transform.Retry with { RetryOn = null });
        Assert.Equal(
            [
                new RetryCondition(RetryConditionKind.ExitCode, 75),
                new RetryCondition(RetryConditionKind.HttpStatusClass, 5),
                new RetryCondition(RetryConditionKind.HttpStatus, 429),
                new RetryCondition(RetryConditionKind.Timeout),
            ],
            transform.Retry.RetryOn);
    }

    [Fact]
    public void Parse_FullExample_FunctionSleepAndNoopTasks()
    {
        var def = WorkflowLoader.Parse(Loading.Text(Example), "etl.yaml");

        var report = def.Tasks[2];
        var function = Assert.IsType<FunctionSpec>(report.Spec);
        Assert.Equal("render-report", function.Name);
        Assert.Equal("""{"format":"pdf"}""", function.With!.ToJsonString());
        Assert.Equal(TriggerRule.AllDone, report.Trigger);
        Assert.Equal(["transform"], report.DependsOn);
        Assert.Equal(new SleepSpec(TimeSpan.FromSeconds(2)), def.Tasks[3].Spec);
        Assert.Same(NoopSpec.Instance, def.Tasks[4].Spec);
    }

    [Fact]
    public void LoadFile_Example_RecordsSourcePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weft-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Loading.Text(Example));
        try
        {
            var def = WorkflowLoader.LoadFile(path);

            Assert.Equal(path, def.SourcePath);
            Assert.Equal(path, def.Tasks[0].Location!.File);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadFile_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => WorkflowLoader.LoadFile(Path.Combine(Path.GetTempPath(), "no-such-weft-flow.yaml")));
    }

    [Fact]
    public void Parse_WithArguments_KeepsScalarTypes()
    {
        var def = WorkflowLoader.Parse(Loading.Text("""
            name: f
            tasks:
              r:
                function: go
                with: { n: 3, big: 5000000000, ratio: 1.5, on: true, none: null, text: "3", word: pdf, list: [1, two], nested: { a: b } }
            """), "f.yaml");

        var with = Assert.IsType<FunctionSpec>(def.Tasks[0].Spec).With!;
        Assert.Equal(3, with["n"]!.GetValue<int>());
        Assert.Equal(5000000000L, with["big"]!.GetValue<long>());
        Assert.Equal(1.5m, with["ratio"]!.GetValue<decimal>());
        Assert.True(with["on"]!.GetValue<bool>());
        Assert.Null(with["none"]);
        Assert.Equal("3", with["text"]!.GetValue<string>());
        Assert.Equal("pdf", with["word"]!.GetValue<string>());
        Assert.Equal("""[1,"two"]""", with["list"]!.ToJsonString());
        Assert.Equal("b", with["nested"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_ExtraKind_BecomesCustomSpec()
    {
        var options = new WorkflowLoadOptions { ExtraKinds = ["k8sJob"] };

        var def = WorkflowLoader.Parse(Loading.Text("""
            name: f
            tasks:
              build:
                k8sJob: { image: alpine, args: [echo, hi] }
            """), "f.yaml", options);

        var custom = Assert.IsType<CustomSpec>(def.Tasks[0].Spec);
        Assert.Equal("k8sJob", custom.Kind);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"image":"alpine","args":["echo","hi"]}"""), custom.Value));
    }

    [Fact]
    public void Parse_ShortAndLongForms_ReadTheSame()
    {
        var def = WorkflowLoader.Parse(Loading.Text("""
            name: f
            params:
              token: { default: abc, description: API token, required: true, secret: true }
              n: 3
            tasks:
              a:
                http: http://example.com/
              b:
                http:
                  method: post
                  url: http://example.com/x
                  headers: { Authorization: "Bearer {{ params.token }}" }
                  body: hello
                  expectStatus: [200, 201]
                  timeout: PT30S
                dependsOn: a
              c:
                shell: { command: ./run, args: [--n, "{{ params.n }}"], workdir: /tmp, env: { MODE: fast } }
                dependsOn: [a, b]
              d:
                noop:
              e:
                noop: true
            """), "f.yaml");

        Assert.Equal(new ParamDefinition("token") { Default = "abc", Description = "API token", Required = true, Secret = true, Location = new SourceLocation("f.yaml", 3, 3) }, def.Params[0]);
        Assert.Equal("3", def.Params[1].Default);
        Assert.Equal(new HttpSpec("GET", "http://example.com/"), def.Tasks[0].Spec);
        var post = Assert.IsType<HttpSpec>(def.Tasks[1].Spec);
        Assert.Equal(("POST", "http://example.com/x", "hello"), (post.Method, post.Url, post.Body));
        Assert.Equal("Bearer {{ params.token }}", post.Headers!["Authorization"]);
        Assert.Equal([200, 201], post.ExpectStatus);
        Assert.Equal(TimeSpan.FromSeconds(30), post.Timeout);
        Assert.Equal(["a"], def.Tasks[1].DependsOn);
        var shell = Assert.IsType<ShellSpec>(def.Tasks[2].Spec);
        Assert.Equal(["--n", "{{ params.n }}"], shell.Args);
        Assert.Equal("/tmp", shell.WorkDir);
        Assert.Equal("fast", shell.Env!["MODE"]);
        Assert.Same(NoopSpec.Instance, def.Tasks[3].Spec);
        Assert.Same(NoopSpec.Instance, def.Tasks[4].Spec);
    }

    [Fact]
    public void Parse_RetryWithOnlySomeFields_TakesRetryPolicyDefaults()
    {
        var def = WorkflowLoader.Parse(Loading.Text("""
            name: f
            tasks:
              a:
                noop: {}
                retry: { maxAttempts: 4 }
              b:
                noop: {}
                retry: { strategy: none }
            """), "f.yaml");

        Assert.Equal(new RetryPolicy { MaxAttempts = 4 }, def.Tasks[0].Retry);
        Assert.Equal(RetryPolicy.None, def.Tasks[1].Retry);
        Assert.Equal(1, def.Tasks[1].Retry.MaxAttempts);
    }

    [Fact]
    public void Parse_YamlAnchorsAndMergeKeys_ShareSettings()
    {
        var def = WorkflowLoader.Parse(Loading.Text("""
            name: f
            tasks:
              a: &base
                shell: echo a
                priority: low
                timeout: 1m
              b:
                <<: *base
                shell: echo b
                dependsOn: a
            """), "f.yaml");

        var b = def.Tasks[1];
        Assert.Equal(new ShellSpec("echo b"), b.Spec);
        Assert.Equal((TaskPriority.Low, TimeSpan.FromMinutes(1)), (b.Priority, b.Timeout));
        Assert.Equal(["a"], b.DependsOn);
    }
}
