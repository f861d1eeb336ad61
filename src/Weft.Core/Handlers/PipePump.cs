using System.Buffers;

namespace Weft.Handlers;

/// <summary>Reads one process pipe to its end on a thread of its own, into a bounded collector.
/// Why not an async read on the thread pool: the pipe is read until the grace after the process's
/// exit runs out, and on a loaded machine (a starved pool) an async read's completion could wait
/// longer than that grace, so what the process printed just before exiting — its error message —
/// was lost although it sat in the pipe. A blocking read on its own thread sees the bytes as they
/// are written. If a descendant that escaped the kill keeps the pipe open, the thread stays blocked
/// until that descendant closes it; the task no longer waits for it (<see cref="Stop"/>).</summary>
internal sealed class PipePump
{
    private const int BufferSize = 16 * 1024;

    private readonly Stream _stream;
    private readonly BoundedTextCollector _collector;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private bool _stopped;

    private PipePump(Stream stream, BoundedTextCollector collector)
    {
        _stream = stream;
        _collector = collector;
    }

    /// <summary>Completes at the pipe's end (every writer closed it) or when reading fails.</summary>
    public Task Ended => _ended.Task;

    public static PipePump Start(Stream stream, BoundedTextCollector collector, string name)
    {
        var pump = new PipePump(stream, collector);

        // Small stack: the loop holds one rented buffer and nothing deep.
        var thread = new Thread(pump.Run, maxStackSize: 128 * 1024) { IsBackground = true, Name = name };
        thread.Start();
        return pump;
    }

    /// <summary>Stops adding to the collector (the caller reads it now); the thread ends at the pipe's end.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
        }
    }

    private void Run()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // Keep reading past the limit (the collector drops the excess): a writer blocked on a full
            // pipe would never exit.
            int read;
            while ((read = _stream.Read(buffer, 0, BufferSize)) > 0)
            {
                lock (_gate)
                {
                    if (!_stopped)
                    {
                        _collector.Append(buffer.AsSpan(0, read));
                    }
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke; keep what we have.
        }
        catch (ObjectDisposedException)
        {
            // The process object was disposed after the grace ran out; nothing more to keep.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _ended.TrySetResult();
        }
    }
}
