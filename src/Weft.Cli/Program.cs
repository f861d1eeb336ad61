namespace Weft.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var io = CliIo.FromConsole();
        Commands.StartupWarmUp.StartFor(args, io);
        return WeftCli.InvokeAsync(args, io);
    }
}
