using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Weft.Handlers;

/// <summary>Every task process starts as the leader of its own session and process group (through
/// <c>setsid</c>), so the task and everything it starts, background jobs and orphans included, can
/// be killed together with one <c>kill(-pgid, SIGKILL)</c>. The groups of running tasks are kept
/// here so that whatever ends weft and can be caught (a second Ctrl+C, SIGTERM with no handler, exit)
/// kills them too: in their own sessions they no longer receive the terminal's signals.</summary>
internal static class TaskProcessGroups
{
    private const int SigKill = 9;

    private static readonly ConcurrentDictionary<int, byte> Live = new();

    static TaskProcessGroups()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    /// <summary>The <c>setsid</c> program, or null where there is none (not Linux): then tasks share
    /// weft's group and only the process tree is killed.</summary>
    public static string? Setsid { get; } = FindSetsid();

    /// <summary>Starts tracking <paramref name="pgid"/> (the task process's id).</summary>
    public static void Add(int pgid) => Live.TryAdd(pgid, 0);

    /// <summary>Kills the whole group and stops tracking it. Safe on a group that is already gone.</summary>
    public static void Kill(int pgid)
    {
        Live.TryRemove(pgid, out _);
        if (pgid > 1)
        {
            _ = KillSystemCall(-pgid, SigKill);
        }
    }

    /// <summary>Kills the group of every running task; for when weft itself is about to end.</summary>
    public static void KillAll()
    {
        foreach (var pgid in Live.Keys)
        {
            Kill(pgid);
        }
    }

    private static string? FindSetsid()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        return new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillSystemCall(int pid, int signal);
}
