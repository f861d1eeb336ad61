using System.Diagnostics;

namespace Weft.Tests.Handlers;

/// <summary>Observes real processes and files that tests wait on, always with a hard timeout.</summary>
internal static class ProcessProbe
{
    /// <summary>True when no live process has <paramref name="pid"/>. A zombie counts as dead: it runs
    /// nothing, and reaping orphans is the job of PID 1, not of the handler.</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // Format: "pid (comm) S ..."; comm may contain spaces, so read after the last ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until true; fails the test after <paramref name="limit"/>.</summary>
    public static async Task WaitUntil(Func<bool> condition, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < limit, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until <paramref name="path"/> holds a complete line and returns it as a PID.</summary>
    public static async Task<int> ReadPidFile(string path, TimeSpan limit)
    {
        string? text = null;
        await WaitUntil(
            () =>
            {
                text = File.Exists(path) ? File.ReadAllText(path) : null;
                return text is not null && text.EndsWith('\n');
            },
            limit,
            $"pid file {path}");
        return int.Parse(text!.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
