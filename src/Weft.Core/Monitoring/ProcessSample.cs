using System.Diagnostics;

namespace Weft.Monitoring;

/// <summary>One reading of the process: memory, GC and CPU time.</summary>
internal readonly record struct ProcessSample(long WorkingSetBytes, long GcHeapBytes, int Gen0, int Gen1, int Gen2, TimeSpan GcPause, TimeSpan CpuTime);

/// <summary>Where samples come from; tests substitute readings to drive the alerts.</summary>
internal interface IProcessSampler
{
    ProcessSample Sample();
}

internal sealed class CurrentProcessSampler : IProcessSampler
{
    public ProcessSample Sample()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessSample(
            process.WorkingSet64,
            GC.GetTotalMemory(false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration(),
            process.TotalProcessorTime);
    }
}
