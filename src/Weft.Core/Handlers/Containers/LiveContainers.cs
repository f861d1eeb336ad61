using System.Collections.Concurrent;
using System.Diagnostics;

namespace Weft.Handlers.Containers;

/// <summary>The containers this process is running now. A container lives in the runtime, not under
/// weft: killing the docker or podman command leaves it running. When weft ends in a way that can be
/// caught (exit, SIGTERM with no handler) it removes what is still here; a weft that is killed outright
/// leaves them for the next attempt, which removes them by name (<see cref="ContainerNames"/>).</summary>
internal static class LiveContainers
{
    private static readonly ConcurrentDictionary<string, ContainerRuntimeProgram> Live = new(StringComparer.Ordinal);

    static LiveContainers()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();
    }

    public static void Add(string name, ContainerRuntimeProgram runtime) => Live[name] = runtime;

    public static void Remove(string name) => Live.TryRemove(name, out _);

    private static void RemoveAll()
    {
        foreach (var group in Live.ToArray().GroupBy(p => p.Value))
        {
            try
            {
                var info = ContainerCommands.StartInfo(group.Key, ["rm", "-f", .. group.Select(p => p.Key)]);
                info.RedirectStandardOutput = true;
                info.RedirectStandardError = true;
                using var process = Process.Start(info);
                process?.WaitForExit(ContainerCommands.CleanupLimit);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Best effort at exit: the next attempt removes them by name.
            }
        }
    }
}
