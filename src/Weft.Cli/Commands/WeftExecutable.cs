using System.Diagnostics;

namespace Weft.Cli.Commands;

/// <summary>Starting this same <c>weft</c> again as a child process (the cluster bench's workers): the
/// apphost when this process is one, else the .NET host running weft.dll (<c>dotnet weft.dll</c>, or
/// a test host, where <c>DOTNET_HOST_PATH</c> names the host).</summary>
internal static class WeftExecutable
{
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable this process is");
        var name = Path.GetFileNameWithoutExtension(self);
        if (name.Equals("weft", StringComparison.OrdinalIgnoreCase))
        {
            return new ProcessStartInfo(self, arguments);
        }

        var host = name.Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return new ProcessStartInfo(host, [typeof(WeftExecutable).Assembly.Location, .. arguments]);
    }
}
