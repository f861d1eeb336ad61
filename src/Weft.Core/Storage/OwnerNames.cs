using System.Diagnostics;
using System.Globalization;

namespace Weft.Storage;

/// <summary>Names of run owners: <c>host/pid/random</c>. The host and process id say to a user which
/// process holds a run; the random part tells two engines of one process apart. A process on this
/// host that no longer exists cannot renew its lease: its runs can be taken up without waiting for
/// the lease to end (a `weft run` killed with SIGKILL, then `weft runs resume`).</summary>
internal static class OwnerNames
{
    public static string Create() =>
        $"{Environment.MachineName}/{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>"process 1234 on host h" for a name this class made; the name itself otherwise.</summary>
    public static string Describe(string name) => TryParse(name, out var host, out var pid)
        ? $"weft process {pid.ToString(CultureInfo.InvariantCulture)} on {host}"
        : name;

    /// <summary>True only when the owner was a process of this host that has exited. A process id
    /// reused by another program reads as alive: the run then waits for the lease, never runs twice.</summary>
    public static bool IsGoneFromThisHost(string name)
    {
        if (!TryParse(name, out var host, out var pid) || !string.Equals(host, Environment.MachineName, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no process with that id
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static bool TryParse(string name, out string host, out int pid)
    {
        var parts = name.Split('/');
        host = parts.Length == 3 ? parts[0] : "";
        pid = 0;
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out pid);
    }
}
