namespace Weft.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => WeftCli.InvokeAsync(args, CliIo.FromConsole());
}
