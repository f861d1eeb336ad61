namespace Weft.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var io = CliIo.FromConsole();
        Commands.RunWarmUp.StartFor(args, io);
        return WeftCli.InvokeAsync(args, io);
    }
}
