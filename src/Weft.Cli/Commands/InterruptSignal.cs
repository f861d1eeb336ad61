using System.Runtime.InteropServices;

namespace Weft.Cli.Commands;

/// <summary>Turns the first Ctrl+C / SIGINT / SIGTERM into a cancellation the command handles (cancel
/// the run, wait for it, exit 130). A second signal is left to the runtime, which ends the process
/// at once, for when stopping cleanly takes too long.</summary>
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
            return;
        }

        context.Cancel = true;
        _error.WriteLine(_message);
        _requested.Cancel();
    }
}
