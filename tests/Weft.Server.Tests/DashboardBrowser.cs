using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Weft.Server.Tests;

/// <summary>A real headless Chromium (Debian's chromium + chromium-driver, installed by scripts/test.sh's
/// ensure_chromium) driving the dashboard. Waits are on what the page shows, bounded, never on time
/// passing. Screenshots go to <see cref="Screenshots"/> (bin/…/TestResults/screenshots).</summary>
internal sealed class DashboardBrowser : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Driver = "/usr/bin/chromedriver";

    public static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private readonly string _profile;

    private DashboardBrowser(ChromeDriver driver, string profile, string address)
    {
        Browser = driver;
        _profile = profile;
        Address = address;
    }

    public ChromeDriver Browser { get; }

    public string Address { get; }

    /// <summary>Fails, never skips, when the browser is missing.</summary>
    public static DashboardBrowser Start(TestServer server)
    {
        Assert.True(File.Exists(Chromium) && File.Exists(Driver),
            $"{Chromium} and {Driver} are needed: run scripts/test.sh (ensure_chromium) or apt-get install -y chromium chromium-driver");
        Directory.CreateDirectory(Screenshots);
        var profile = Directory.CreateTempSubdirectory("weft-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,900", $"--user-data-dir={profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new DashboardBrowser(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile, server.Address);
    }

    /// <summary>Opens a dashboard address such as <c>#/runs</c> (relative to <c>/dashboard/</c>).</summary>
    public void Open(string hash) => Browser.Navigate().GoToUrl($"{Address}/dashboard/{hash}");

    public IReadOnlyList<IWebElement> All(string css) => Browser.FindElements(By.CssSelector(css));

    public IWebElement One(string css) => Browser.FindElement(By.CssSelector(css));

    // The page re-renders parts of itself as events arrive (a run's live updates): an element found a moment ago
    // may be replaced before its text is read, so the read finds it again rather than failing on a stale reference.
    public string Text(string css)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                return All(css) is [var e, ..] ? e.Text : "";
            }
            catch (StaleElementReferenceException) when (tries < 20)
            {
                Thread.Sleep(50);
            }
        }
    }

    public T Script<T>(string script, params object[] args) => Browser.ExecuteScript(script, args) switch
    {
        long n when typeof(T) == typeof(double) => (T)(object)(double)n,
        var other => (T)other!,
    };

    // Waits on a condition the page reaches (bounded), polling the DOM.
    public void Until(Func<bool> condition, string what)
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

        var name = "timeout-" + DateTime.UtcNow.Ticks;
        Save(name);
        var shown = Browser.FindElements(By.Id("view")) is [var view, ..] ? view.Text : "";
        Assert.Fail($"the page did not show {what} within 30 s{(last is null ? "" : ": " + last.Message)}; screenshot {name}.png; it showed:\n{shown}");
    }

    // The page re-renders parts of itself as events arrive; a click that meets a replaced element is retried.
    public void Click(string css) => Until(() =>
    {
        One(css).Click();
        return true;
    }, $"a clickable {css}");

    public void Save(string name) => Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, name + ".png"));

    public void Dispose()
    {
        Browser.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be letting go of its profile; it is a temporary directory.
        }
    }
}
