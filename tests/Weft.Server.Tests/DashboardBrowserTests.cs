using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Weft.Server.Tests;

/// <summary>The dashboard in a real headless Chromium (Debian's chromium + chromium-driver, installed by
/// scripts/test.sh's ensure_chromium). Fails, never skips, when the browser is missing.</summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Driver = "/usr/bin/chromedriver";

    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    [Fact]
    public async Task Dashboard_SubmitSeeDagTurnGreen_ReadOutput_CancelAnother()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(Driver),
            $"{Chromium} and {Driver} are needed: run scripts/test.sh (ensure_chromium) or apt-get install -y chromium chromium-driver");
        Directory.CreateDirectory(Screenshots);
        await using var server = await TestServer.StartAsync();
        using var browser = StartBrowser();

        // Submit through the dashboard's own form.
        browser.Navigate().GoToUrl(server.Address + "/dashboard/");
        Until(browser, () => browser.FindElements(By.Id("runs-body")).Count > 0);
        Click(browser, By.CssSelector("details.panel summary"));
        browser.FindElement(By.Id("definition")).SendKeys(Workflows.Hello.ReplaceLineEndings("\n"));
        browser.FindElement(By.Id("submit-run")).Click();

        // The DAG appears and every task turns green.
        Until(browser, () => browser.FindElements(By.CssSelector("#dag g.node")).Count == 3);
        Until(browser, () => browser.FindElements(By.CssSelector("#dag g.node")).All(n => n.GetAttribute("data-state") == "succeeded")
            && browser.FindElement(By.Id("run-state")).Text == "succeeded");
        Save(browser, "1-run-succeeded");

        // Click a task: its attempts and output show.
        Click(browser, By.CssSelector("#task-greet rect"));
        Until(browser, () => browser.FindElements(By.Id("task-output")).Count > 0
            && browser.FindElement(By.Id("task-output")).Text.Contains("hello-from-weft", StringComparison.Ordinal));
        Assert.Contains("succeeded", browser.FindElement(By.CssSelector("#task-panel .attempts tbody")).Text, StringComparison.Ordinal);
        Save(browser, "2-task-output");

        // Cancel another, long run from its page.
        var slow = await server.SubmitAsync(Workflows.Slow);
        browser.Navigate().GoToUrl($"{server.Address}/dashboard/#/runs/{slow}");
        Until(browser, () => browser.FindElements(By.CssSelector("#task-wait")).Count == 1);
        Click(browser, By.Id("run-cancel"));
        Until(browser, () => browser.FindElement(By.Id("run-state")).Text == "cancelled");
        Save(browser, "3-run-cancelled");

        // The runs list shows both, newest first; the workers page draws.
        browser.Navigate().GoToUrl(server.Address + "/dashboard/#/runs");
        Until(browser, () => browser.FindElements(By.CssSelector("#runs-body tr[data-run]")).Count == 2);
        Assert.Equal(slow, browser.FindElements(By.CssSelector("#runs-body tr[data-run]"))[0].GetAttribute("data-run"));
        Save(browser, "4-runs");
        browser.Navigate().GoToUrl(server.Address + "/dashboard/#/workers");
        Until(browser, () => browser.FindElements(By.CssSelector("#workers tbody tr")).Count == 1);
        Save(browser, "5-workers");
    }

    private static ChromeDriver StartBrowser()
    {
        var profile = Directory.CreateTempSubdirectory("weft-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,900", $"--user-data-dir={profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    // Waits on a condition the page reaches (bounded), polling the DOM.
    private static void Until(ChromeDriver browser, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (WebDriverException ex)
            {
                last = ex;
            }

            Thread.Sleep(100);
        }

        Save(browser, "timeout-" + DateTime.UtcNow.Ticks);
        Assert.Fail($"the page did not reach the expected state within 30 s{(last is null ? "" : ": " + last.Message)}");
    }

    // The page re-renders parts of itself as events arrive; a click that meets a replaced element is retried.
    private static void Click(ChromeDriver browser, By by) => Until(browser, () =>
    {
        browser.FindElement(by).Click();
        return true;
    });

    private static void Save(ChromeDriver browser, string name) =>
        browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, name + ".png"));
}
