using System.Runtime.InteropServices;

namespace Weft.Cli.Commands;

/// <summary>Turns the first Ctrl+C / SIGINT / SIGTERM / SIGHUP / SIGQUIT into a cancellation the command
/// handles (cancel the run, which kills each running task's process group, wait for it, exit 130).
/// SIGHUP (terminal closed) and SIGQUIT (Ctrl+\) would otherwise end weft at once and leave the run
/// "running" and its tasks alive. A second signal kills every task's process group, then is left to
/// the runtime, which ends weft at once (SIGQUIT then dumps core as usual), for when stopping
/// cleanly takes too long.</summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _requested = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;
    private readonly string _message;
    private int _count;

    private InterruptSignal(TextWriter error, string message)
    {
        _error = error;
        _message = message;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal),
        ];
    }

    public CancellationToken Token => _requested.Token;

    public bool IsRequested => _requested.IsCancellationRequested;

    public static InterruptSignal Register(TextWriter error, string message = "cancelling the run… (signal again to stop at once)") => new(error, message);

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _requested.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _count) > 1)
        {
            // Tasks run in sessions of their own, so the runtime ending weft would not reach them.
            Weft.Handlers.TaskProcessGroups.KillAll();
            return;
        }

        context.Cancel = true;
        _error.WriteLine(_message);
        _requested.Cancel();
    }
}
