using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium.Interactions;
using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Server.Tests;

/// <summary>The dashboard in a real headless Chromium: every page renders at an address a user can
/// bookmark, runs started from it appear live, and its buttons do what they say. Screenshots are saved
/// to bin/Release/net10.0/TestResults/screenshots (<see cref="DashboardBrowser.Screenshots"/>).</summary>
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task Dashboard_SubmitSeeDagTurnGreen_ReadOutput_CancelAnother()
    {
        await using var server = await TestServer.StartAsync();
        using var b = DashboardBrowser.Start(server);

        // Submit through the dashboard's own form.
        b.Open("");
        b.Until(() => b.All("#runs-body").Count > 0, "the runs list");
        b.Click("details.panel summary");
        b.One("#definition").SendKeys(Workflows.Hello.ReplaceLineEndings("\n"));
        b.One("#submit-run").Click();

        // The DAG appears and every task turns green.
        b.Until(() => b.All("#dag g.node").Count == 3, "three tasks in the graph");
        b.Until(() => b.All("#dag g.node").All(n => n.GetAttribute("data-state") == "succeeded") && b.Text("#run-state") == "succeeded", "every task succeeded");
        b.Save("1-run-succeeded");

        // Click a task: its attempts and output show.
        b.Click("#task-greet rect");
        b.Until(() => b.Text("#task-output").Contains("hello-from-weft", StringComparison.Ordinal), "the task's output");
        Assert.Contains("succeeded", b.Text("#task-panel .attempts tbody"), StringComparison.Ordinal);
        b.Save("2-task-output");

        // Cancel another, long run from its page.
        var slow = await server.SubmitAsync(Workflows.Slow);
        b.Open($"#/runs/{slow}");
        b.Until(() => b.All("#task-wait").Count == 1, "the slow run's graph");
        b.Click("#run-cancel");
        b.Until(() => b.Text("#run-state") == "cancelled", "the run cancelled");
        b.Save("3-run-cancelled");

        // The runs list shows both, newest first; the workers page draws.
        b.Open("#/runs");
        b.Until(() => b.All("#runs-body tr[data-run]").Count == 2, "both runs listed");
        Assert.Equal(slow, b.All("#runs-body tr[data-run]")[0].GetAttribute("data-run"));
        b.Save("4-runs");
        b.Open("#/workers");
        b.Until(() => b.All("#workers tbody tr").Count == 1, "the server's worker");
        b.Save("5-workers");
    }

    [Fact]
    public async Task Dashboard_EveryPageHasAnAddress_FiltersLiveInTheUrl_DeepLinksSurviveReload()
    {
        await using var server = await TestServer.StartAsync();
        var hello = await server.SubmitAsync(Workflows.Hello);
        await server.WaitAsync(hello);
        var slow = await server.SubmitAsync(Workflows.Slow);
        using var b = DashboardBrowser.Start(server);

        // Without the trailing slash the browser is sent to the dashboard, keeping the page asked for.
        b.Browser.Navigate().GoToUrl(server.Address + "/dashboard#/schedules");
        b.Until(() => b.Text("h1") == "Schedules", "the schedules page");
        Assert.EndsWith("/dashboard/#/schedules", b.Browser.Url, StringComparison.Ordinal);
        Assert.Contains("No registered workflow has a schedule", b.Text("#schedules-body"), StringComparison.Ordinal);

        // Counts by state, and a filter that is part of the address (so it survives a reload and can be bookmarked).
        b.Open("#/runs?state=succeeded");
        b.Until(() => b.All("#runs-body tr[data-run]").Count == 1 && b.Text("#run-counts a[data-state=succeeded] .n") == "1", "the succeeded run and the counts");
        // A running run is counted (and listed) as running, not as the pending the in-memory store records until it ends.
        Assert.Equal("1", b.Text("#run-counts a[data-state=running] .n"));
        Assert.Equal("0", b.Text("#run-counts a[data-state=pending] .n"));
        Assert.Equal(hello, b.One("#runs-body tr[data-run]").GetAttribute("data-run"));
        Assert.Equal("1", b.Text("#run-counts a[data-state=succeeded] .n"));
        Assert.Equal("0", b.Text("#run-counts a[data-state=failed] .n"));
        Assert.Equal("succeeded", b.One("#filters select[name=state]").GetAttribute("value"));
        Assert.Contains("just now", b.Text("#runs-body tr[data-run]"), StringComparison.Ordinal);
        b.Save("addresses-1-runs-filtered");
        b.Browser.Navigate().Refresh();
        b.Until(() => b.All("#runs-body tr[data-run]").Count == 1 && b.One("#runs-body tr[data-run]").GetAttribute("data-run") == hello, "the filter kept on reload");

        // Filtering from the form writes the address; a state's count filters by it.
        b.One("#filters select[name=state]").SendKeys("any state");
        b.One("#filters input[name=workflow]").SendKeys("slow");
        b.Click("#filters button[type=submit]");
        b.Until(() => b.Browser.Url.Contains("workflow=slow", StringComparison.Ordinal) && b.All("#runs-body tr[data-run]") is [var only] && only.GetAttribute("data-run") == slow,
            "only the slow run, with the filter in the address");
        Assert.DoesNotContain("state=", b.Browser.Url, StringComparison.Ordinal);
        Assert.Equal("running", b.Text($"#runs-body tr[data-run='{slow}'] .badge"));
        b.Click("#run-counts a[data-state=succeeded]");
        b.Until(() => b.Browser.Url.Contains("state=succeeded", StringComparison.Ordinal) && b.Text("#runs-body").Contains("No runs match", StringComparison.Ordinal),
            "no succeeded run of slow");

        // A run's and a task's pages, reloaded.
        b.Open($"#/runs/{hello}");
        b.Until(() => b.All("#dag g.node").Count == 3, "the run's graph");
        b.Browser.Navigate().Refresh();
        b.Until(() => b.All("#dag g.node[data-state=succeeded]").Count == 3 && b.All("#run-controls button").Count == 0, "the run again, with no controls on a succeeded run");
        b.Open($"#/runs/{hello}/tasks/greet");
        b.Browser.Navigate().Refresh();
        b.Until(() => b.Text("#attempt-1 .attempt-output").Contains("hello-from-weft", StringComparison.Ordinal), "the task's attempt and output");
        b.Save("addresses-2-task");

        // The other pages render.
        b.Open("#/workflows");
        b.Until(() => b.Text("h1") == "Workflows" && b.Text("#view").Contains("No workflow is registered", StringComparison.Ordinal), "the workflows page");

        // Registering from the page: a mistake is named and nothing is stored; then the workflow's page opens.
        b.Click("details.panel summary");
        b.One("#register-definition").SendKeys("name: broken\ntasks:\n  a:\n    shell: echo hi\n    dependsOn: [missing]\n");
        b.Click("#register");
        b.Until(() => b.Text("#register-error").Contains("missing", StringComparison.Ordinal), "the definition's error");
        Assert.Empty((await server.GetJsonAsync("/api/workflows")).EnumerateArray());
        b.One("#register-definition").Clear();
        b.One("#register-definition").SendKeys(Workflows.Hello.ReplaceLineEndings("\n"));
        b.Click("#register");
        b.Until(() => b.Browser.Url.EndsWith("#/workflows/hello", StringComparison.Ordinal) && b.All("#dag g.node").Count == 3, "the registered workflow's page");
        b.Open("#/workers");
        b.Until(() => b.All("#workers tbody tr").Count == 1 && b.Text("#status").Contains("Active runs", StringComparison.Ordinal), "the workers page");
        b.Open("#/status");
        b.Until(() => b.All("#workers tbody tr").Count == 1, "the status page");
        b.Open("#/runs/no-such-run");
        b.Until(() => b.Text("#page-error").Contains("no run with id 'no-such-run'", StringComparison.Ordinal), "a clear error for an unknown run");
        await server.Engine.CancelAsync(slow);
    }

    [Fact]
    public async Task Dashboard_StartRegisteredWorkflowFromItsForm_RunAppearsLive_TaskPageShowsEveryAttempt()
    {
        // On SQLite, as `weft server --store sqlite:…` runs: a durable store keeps every attempt's output
        // (the in-memory store keeps the last attempt's only).
        var directory = Directory.CreateTempSubdirectory("weft-dash-").FullName;
        var marker = Path.Combine(directory, "marker");
        await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(directory, "weft.db") });
        await using var server = await TestServer.StartAsync(customize: b => b.Services.AddSingleton<IWeftStore>(store));
        var definition = $$$"""
            name: greeter
            description: Greets someone after a flaky first step
            params:
              who: { required: true, description: Whom to greet }
              greeting: { default: hello }
              marker: { default: "{{{marker}}}" }
            tasks:
              flaky:
                shell: 'if [ -f "{{ params.marker }}" ]; then echo second-try-ok; else touch "{{ params.marker }}"; echo first-try-said; echo first-try-broke >&2; exit 3; fi'
                retry: { maxAttempts: 2, delay: 10ms }
              greet:
                shell: 'echo "{{ params.greeting }}, {{ params.who }}"'
                dependsOn: [flaky]
            """;
        var registered = await server.Client.PostAsJsonAsync("/api/workflows", new { definition });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        using var b = DashboardBrowser.Start(server);

        b.Open("#/workflows");
        b.Until(() => b.All("#workflows tr[data-workflow=greeter]").Count == 1, "the registered workflow");
        Assert.Contains("who, greeting, marker", b.Text("#workflows tr[data-workflow=greeter]"), StringComparison.Ordinal);
        b.Click("#workflows tr[data-workflow=greeter] a");
        b.Until(() => b.All("#dag g.node").Count == 2 && b.Text("#workflow-source").Contains("Greets someone", StringComparison.Ordinal), "its graph and definition");
        Assert.Equal(["who", "greeting", "marker", "priority"], b.All("#start-form .param > span").Select(s => s.Text.TrimEnd(' ', '*')));
        b.Save("workflows-1-form");

        // A required parameter left out: the server's error is shown and nothing starts.
        b.Click("#start-run");
        b.Until(() => b.Text("#start-error").Contains("who", StringComparison.Ordinal), "the missing parameter named");
        Assert.Empty(await server.Engine.Store.ListRunsAsync(new RunQuery { Limit = 10 }));

        b.One("#start-form input[name=who]").SendKeys("Ada");
        b.Click("#start-run");
        b.Until(() => b.Browser.Url.Contains("#/runs/", StringComparison.Ordinal) && b.All("#dag g.node").Count == 2, "the new run's page");
        b.Until(() => b.Text("#run-state") == "succeeded" && b.All("#dag g.node[data-state=succeeded]").Count == 2, "the run succeeding live");
        Assert.Contains("who=Ada", b.Text(".run-header"), StringComparison.Ordinal);
        b.Save("workflows-2-run");

        // The grid: a square per attempt, the flaky task's first red, its second green.
        b.Click("#view-grid");
        b.Until(() => b.All("#grid tr[data-task=flaky] a.cell").Count == 2, "two attempts of flaky in the grid");
        Assert.Equal(["cell state-failed", "cell state-succeeded"], b.All("#grid tr[data-task=flaky] a.cell").Select(c => c.GetAttribute("class")));
        Assert.Single(b.All("#grid tr[data-task=greet] a.cell"));
        b.Save("workflows-3-grid");

        // The task page: every attempt with its output, stderr, exit code and worker.
        b.Click("#grid tr[data-task=flaky] a.cell");
        b.Until(() => b.All("section.attempt").Count == 2, "both attempts");
        Assert.Equal("failed", b.One("#attempt-1").GetAttribute("data-outcome"));
        Assert.Contains("first-try-broke", b.Text("#attempt-1 .attempt-stderr"), StringComparison.Ordinal);
        Assert.Contains("first-try-said", b.Text("#attempt-1 .attempt-output"), StringComparison.Ordinal);
        Assert.Equal("3", b.Text("#attempt-1 .exit-code"));
        Assert.Contains("exit", b.Text("#attempt-1 .attempt-error"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("succeeded", b.One("#attempt-2").GetAttribute("data-outcome"));
        Assert.Contains("second-try-ok", b.Text("#attempt-2 .attempt-output"), StringComparison.Ordinal);
        Assert.Equal("0", b.Text("#attempt-2 .exit-code"));
        Assert.Contains("this server", b.Text("#attempt-2 .facts"), StringComparison.Ordinal);
        b.Save("workflows-4-task-attempts");

        b.Click("#back-to-run");
        b.Click("#view-graph");
        b.Click("#task-greet rect");
        b.Until(() => b.Text("#task-output").Contains("hello, Ada", StringComparison.Ordinal), "the greeting with the parameter given in the form");
    }

    [Fact]
    public async Task Dashboard_RunButtons_OnlyWhereTheyApply_PauseResumeCancelRetry()
    {
        await using var server = await TestServer.StartAsync();
        var slow = await server.SubmitAsync(Workflows.Slow);
        using var b = DashboardBrowser.Start(server);
        string[] Buttons() => [.. b.All("#run-controls button").Select(x => x.Text)];

        b.Open($"#/runs/{slow}");
        b.Until(() => b.One("#task-wait").GetAttribute("data-state") == "running" && Buttons() is ["Pause", "Cancel"], "a running run with Pause and Cancel");

        b.Click("#run-pause");
        b.Until(() => b.Text("#run-state") == "paused" && Buttons() is ["Resume", "Cancel"], "the run paused, with Resume and Cancel");
        Assert.Equal(RunState.Paused, server.Engine.GetRun(slow)!.State);
        b.Save("buttons-1-paused");

        b.Click("#run-resume");
        b.Until(() => b.Text("#run-state") == "running" && Buttons() is ["Pause", "Cancel"], "the run running again");
        Assert.Equal(RunState.Running, server.Engine.GetRun(slow)!.State);

        b.Click("#run-cancel");
        b.Until(() => b.Text("#run-state") == "cancelled" && Buttons() is ["Retry"], "the run cancelled, with only Retry");
        Assert.Equal("cancelled", b.One("#task-wait").GetAttribute("data-state"));
        b.Save("buttons-2-cancelled");

        b.Click("#run-retry");
        b.Until(() => !b.Browser.Url.EndsWith(slow, StringComparison.Ordinal) && b.Text("#run-state") == "running", "a new run of the same workflow");
        var retry = b.Browser.Url[(b.Browser.Url.LastIndexOf('/') + 1)..];
        Assert.Equal("slow", server.Engine.GetRun(retry)!.Workflow);
        await server.Engine.CancelAsync(retry);
    }

    [Fact]
    public async Task Dashboard_RetryAFailedTask_FromTheRunPageAndTheTaskPage_OnlyWhereItApplies()
    {
        await using var server = await TestServer.StartAsync();
        var loads = 0;
        var mails = 0;
        server.Engine.Functions.Register("flaky", _ => Interlocked.Increment(ref loads) == 1 ? throw new InvalidOperationException("db down") : "loaded");
        server.Engine.Functions.Register("broken", _ => Interlocked.Increment(ref mails) == 1 ? throw new InvalidOperationException("smtp refused") : "sent");
        var failed = await server.SubmitAsync(Workflows.Flaky);
        await server.WaitAsync(failed);
        using var b = DashboardBrowser.Start(server);

        b.Open($"#/runs/{failed}?task=extract");
        b.Until(() => b.Text("#run-state") == "failed" && b.Text("#task-panel").Contains("extract", StringComparison.Ordinal), "the failed run, extract selected");
        Assert.Empty(b.All("#run-task-retry")); // extract succeeded: nothing to retry

        b.Open($"#/runs/{failed}?task=load");
        b.Until(() => b.All("#run-task-retry").Count == 1, "Retry on the failed task's panel");
        b.Save("retry-task-1-run-page");
        b.Click("#run-task-retry");
        b.Until(() => !b.Browser.Url.Contains(failed, StringComparison.Ordinal) && b.Text("#run-state") == "failed", "the new run, ended (mail still failed)");
        var fromRunPage = b.Browser.Url[(b.Browser.Url.LastIndexOf('/') + 1)..];
        var first = await server.Engine.Store.GetRunAsync(fromRunPage);
        Assert.Equal(["cached", "succeeded", "succeeded", "failed"], first!.Tasks.Select(t => t.State.ToName()));
        b.Until(() => b.One("#task-load").GetAttribute("data-state") == "succeeded", "the new run's graph shows load succeeded");

        b.Open($"#/runs/{fromRunPage}/tasks/report");
        b.Until(() => b.Text("#task-state") == "succeeded", "the task page of a task that succeeded");
        Assert.Empty(b.All("#task-retry"));
        b.Open($"#/runs/{fromRunPage}/tasks/mail");
        b.Until(() => b.All("#task-retry").Count == 1, "Retry on the failed task's page");
        b.Click("#task-retry");
        b.Until(() => !b.Browser.Url.Contains(fromRunPage, StringComparison.Ordinal) && b.Text("#run-state") == "succeeded", "the second retry succeeded");
        var fromTaskPage = b.Browser.Url[(b.Browser.Url.LastIndexOf('/') + 1)..];
        b.Save("retry-task-2-succeeded");
        var second = await server.Engine.Store.GetRunAsync(fromTaskPage);
        Assert.Equal(["cached", "cached", "cached", "succeeded"], second!.Tasks.Select(t => t.State.ToName()));
        Assert.Equal((2, 2), (loads, mails));

        var slow = await server.SubmitAsync(Workflows.Slow);
        b.Open($"#/runs/{slow}/tasks/wait");
        b.Until(() => b.Text("#task-state") == "running", "a running task");
        Assert.Empty(b.All("#task-retry"));
        await server.Engine.CancelAsync(slow);
    }

    [Fact]
    public async Task Dashboard_WaitingTask_ApproveOnTheRunPage_RejectWithDataOnTheTaskPage()
    {
        await using var server = await TestServer.StartAsync();
        const string Approval = """
            name: approval
            tasks:
              approve:
                wait: { signal: approval, timeout: 1h }
              deploy:
                dependsOn: approve
                shell: echo deployed
            """;
        var first = await server.SubmitAsync(Approval);
        var second = await server.SubmitAsync(Approval);
        using var b = DashboardBrowser.Start(server);

        b.Open($"#/runs/{first}?task=approve");
        b.Until(() => b.One("#task-approve").GetAttribute("data-state") == "waiting" && b.All("#run-approve").Count == 1, "approve waiting, with Approve on the run page");
        Assert.Contains("waits for signal 'approval'", b.Text("#task-panel"), StringComparison.Ordinal);
        b.Save("wait-1-waiting");
        b.Click("#run-approve");
        b.Until(() => b.Text("#run-state") == "succeeded", "the run succeeded after Approve");
        var approved = await server.WaitAsync(first);
        Assert.StartsWith("signal from dashboard ", approved.Tasks[0].AttemptHistory[0].Worker, StringComparison.Ordinal);

        b.Open($"#/runs/{second}/tasks/approve");
        b.Until(() => b.All("#signal-reject").Count == 1, "Reject on the task page");
        b.One("#signal-data").SendKeys("""{"reason":"not today"}""");
        b.Click("#signal-reject");
        var rejected = await server.WaitAsync(second);
        b.Until(() => b.All("#signal-reject").Count == 0, "the buttons gone once the task is not waiting");
        b.Save("wait-2-rejected");
        Assert.Equal(RunState.Failed, rejected.State);
        Assert.StartsWith("rejected by dashboard ", rejected.Tasks[0].Error, StringComparison.Ordinal);
        Assert.Equal("""{"reason":"not today"}""", rejected.Tasks[0].Output);
        Assert.Equal(TaskState.UpstreamFailed, rejected.Tasks[1].State);
    }

    [Fact]
    public async Task Dashboard_Schedules_NextTicks_PauseResume_TriggerNow()
    {
        await using var server = await TestServer.StartAsync();
        const string Nightly = """
            name: nightly
            schedule: { cron: "0 2 * * *", timezone: UTC }
            tasks:
              tick:
                shell: echo tick-ran
            """;
        var registered = await server.Client.PostAsJsonAsync("/api/workflows", new { definition = Nightly });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        using var b = DashboardBrowser.Start(server);
        const string Row = "#schedules-body tr[data-schedule=nightly]";

        b.Open("#/schedules");
        b.Until(() => b.All($"{Row} .next-ticks li").Count == 5 && b.Text($"{Row} .schedule-state") == "active", "five next ticks of an active schedule");
        Assert.Contains("0 2 * * * (UTC)", b.Text(Row), StringComparison.Ordinal);
        b.Save("schedules-1");

        b.Click("#pause-nightly");
        b.Until(() => b.Text($"{Row} .schedule-state") == "paused" && b.Text($"{Row} .next-ticks") == "none while paused", "the schedule paused");
        Assert.True((await server.GetJsonAsync("/api/schedules"))[0].GetProperty("paused").GetBoolean());
        b.Click("#resume-nightly");
        b.Until(() => b.Text($"{Row} .schedule-state") == "active" && b.All($"{Row} .next-ticks li").Count == 5, "the schedule active again");
        Assert.False((await server.GetJsonAsync("/api/schedules"))[0].GetProperty("paused").GetBoolean());

        b.Click("#trigger-nightly");
        b.Until(() => b.All("#triggered-run").Count == 1, "a link to the run it started");
        b.Save("schedules-2-triggered");
        b.Click("#triggered-run");
        b.Until(() => b.Text("#run-state") == "succeeded" && b.Text(".run-header h1").StartsWith("nightly", StringComparison.Ordinal), "the triggered run succeeding");
    }

    [Fact]
    public async Task Dashboard_FiveHundredTaskDag_LayeredWithFewerCrossings_FitsZoomsPans()
    {
        const int Layers = 25, Width = 20;
        await using var server = await TestServer.StartAsync();
        var deps = new Dictionary<string, string[]>();
        var yaml = new StringBuilder("name: wide\ntasks:\n");
        for (var l = 0; l < Layers; l++)
        {
            for (var i = 0; i < Width; i++)
            {
                var id = $"t{l:00}x{i:00}";
                // Parents scattered across the previous layer (and now and then three layers up), so the
                // definition's order crosses a lot and the layout has work to do.
                string[] parents = l == 0 ? [] : [$"t{l - 1:00}x{i * 7 % Width:00}", $"t{l - 1:00}x{(i * 13 + 3) % Width:00}", .. l >= 3 && i % 5 == 0 ? [$"t{l - 3:00}x{(i + 1) % Width:00}"] : Array.Empty<string>()];
                deps[id] = parents;
                yaml.Append($"  {id}:\n    noop: {{}}\n");
                if (parents.Length > 0)
                {
                    yaml.Append($"    dependsOn: [{string.Join(", ", parents)}]\n");
                }
            }
        }

        var run = await server.SubmitAsync(yaml.ToString());
        await server.WaitAsync(run);
        using var b = DashboardBrowser.Start(server);
        b.Open($"#/runs/{run}");
        b.Until(() => b.All("#dag g.node").Count == Layers * Width && b.Text("#run-state") == "succeeded", "500 tasks drawn");
        b.Until(() => b.One("#dag svg").GetAttribute("data-scale") is { } s && double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) < 1, "the graph fitted");
        b.Save("dag-1-fitted");

        // Fitted: every task inside the drawing, none on top of another.
        const string Outside = """
            const svg = document.querySelector('#dag svg').getBoundingClientRect();
            return [...document.querySelectorAll('#dag g.node rect')].map(r => r.getBoundingClientRect())
              .filter(r => r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1).length;
            """;
        Assert.Equal(0L, b.Script<long>(Outside));
        Assert.Equal(0L, b.Script<long>("""
            const rs = [...document.querySelectorAll('#dag g.node rect')].map(r => r.getBoundingClientRect());
            let n = 0;
            for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++)
              if (rs[i].left < rs[j].right && rs[j].left < rs[i].right && rs[i].top < rs[j].bottom && rs[j].top < rs[i].bottom) n++;
            return n;
            """));

        // Columns are longest-path levels; within them, fewer crossings than in the definition's order.
        var placed = b.Script<IReadOnlyCollection<object>>("""
            return [...document.querySelectorAll('#dag g.node')].map(g => { const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform')); return [g.dataset.task, +m[1], +m[2]]; });
            """).Cast<IReadOnlyCollection<object>>().ToDictionary(p => (string)p.First(), p => (X: Convert.ToDouble(p.ElementAt(1)), Y: Convert.ToDouble(p.ElementAt(2))));
        Assert.Equal(Layers, placed.Values.Select(p => p.X).Distinct().Count());
        Assert.All(deps, d => Assert.All(d.Value, parent => Assert.True(placed[parent].X < placed[d.Key].X, $"{parent} is left of {d.Key}")));
        var definitionOrder = Crossings(deps, id => int.Parse(id[4..], System.Globalization.CultureInfo.InvariantCulture));
        var drawn = Crossings(deps, id => placed[id].Y);
        Assert.True(drawn < definitionOrder * 0.8, $"the layout should cross less than the definition's order: {drawn} vs {definitionOrder}");

        // Zoom in to read it, pan, and fit again.
        b.Click(".dag-actual");
        b.Until(() => b.One("#dag svg").GetAttribute("data-scale") == "1.0000", "actual size");
        Assert.True(b.Script<double>("return document.querySelector('#dag g.node text').getBoundingClientRect().height;") >= 12, "labels are readable at 1:1");
        b.Click(".dag-zoom-in");
        b.Until(() => b.One("#dag svg").GetAttribute("data-scale") == "1.2500", "zoomed in");
        const string FirstNode = "const r = document.querySelector('#task-t00x00 rect').getBoundingClientRect(); return [r.left, r.top];";
        var before = b.Script<IReadOnlyCollection<object>>(FirstNode).Select(Convert.ToDouble).ToArray();
        new Actions(b.Browser).MoveToElement(b.One("#dag svg")).ClickAndHold().MoveByOffset(-150, -80).Release().Perform();
        var after = b.Script<IReadOnlyCollection<object>>(FirstNode).Select(Convert.ToDouble).ToArray();
        Assert.Equal(before[0] - 150, after[0], 1.0);
        Assert.Equal(before[1] - 80, after[1], 1.0);
        b.Save("dag-2-zoomed-panned");
        b.Click(".dag-fit");
        b.Until(() => b.Script<long>(Outside) == 0, "the whole graph fitted again");
        b.Save("dag-3-fit-again");
    }

    // Crossings between edges joining adjacent layers (t{layer}x{i}), ordering each layer by `position`.
    private static int Crossings(Dictionary<string, string[]> deps, Func<string, double> position)
    {
        var edges = deps.SelectMany(d => d.Value.Select(p => (From: p, To: d.Key)))
            .Where(e => int.Parse(e.To[1..3], System.Globalization.CultureInfo.InvariantCulture) - int.Parse(e.From[1..3], System.Globalization.CultureInfo.InvariantCulture) == 1)
            .GroupBy(e => e.From[1..3]);
        var crossings = 0;
        foreach (var layer in edges)
        {
            var list = layer.ToArray();
            for (var i = 0; i < list.Length; i++)
            {
                for (var j = i + 1; j < list.Length; j++)
                {
                    if ((position(list[i].From) - position(list[j].From)) * (position(list[i].To) - position(list[j].To)) < 0)
                    {
                        crossings++;
                    }
                }
            }
        }

        return crossings;
    }
}
