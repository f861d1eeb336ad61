using System.Diagnostics;

namespace Weft.Bench;

/// <summary>The bound W1 is read against (issue #18: "at least 40 % of the bare bound in the same run"):
/// the same number of no-op tasks as bare thread-pool work items, each counting its run's tasks left
/// down as it ends (W1 has no edges, so that count is all the bookkeeping its graph needs), timed from
/// the first queued to the last done. No engine, no record, no retry or state: what the runtime's
/// thread pool does on this machine, measured in the same process as W1, between its runs.</summary>
internal sealed class BareBound
{
    private readonly BareTask[] _tasks;
    private int _left;
    private TaskCompletionSource? _done;

    public BareBound(int tasks)
    {
        _tasks = new BareTask[tasks];
        for (var i = 0; i < tasks; i++)
        {
            _tasks[i] = new BareTask(this);
        }
    }

    /// <summary>One run: every task queued, then awaited; wall seconds.</summary>
    public async Task<double> MeasureAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _done = done;
        Volatile.Write(ref _left, _tasks.Length);
        var start = Stopwatch.GetTimestamp();
        foreach (var task in _tasks)
        {
            ThreadPool.UnsafeQueueUserWorkItem(task, preferLocal: false);
        }

        await done.Task.ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private void Ended()
    {
        if (Interlocked.Decrement(ref _left) == 0)
        {
            _done!.TrySetResult();
        }
    }

    private sealed class BareTask(BareBound run) : IThreadPoolWorkItem
    {
        public void Execute() => run.Ended();
    }
}
