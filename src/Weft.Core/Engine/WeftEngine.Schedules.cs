using Weft.Registry;
using Weft.Storage;

namespace Weft;

public sealed partial class WeftEngine
{
    private WorkflowRegistry? _workflows;
    private ScheduleService? _schedules;

    /// <summary>Workflows registered by name and version, kept in the store (in memory when the store
    /// has no registry): they survive a restart and every engine on the store shares them.</summary>
    public WorkflowRegistry Workflows => _workflows!;

    /// <summary>The schedules of registered workflows. With <see cref="ScheduleOptions.Enabled"/> (the
    /// default) the engine starts their runs in the background, tick by tick.</summary>
    public ScheduleService Schedules => _schedules!;

    /// <summary>False once the engine is stopping or draining: a schedule tick is not claimed then, so
    /// another engine on the store starts it.</summary>
    internal bool AcceptsRuns => !Volatile.Read(ref _stopping) && !Volatile.Read(ref _draining);

    private void StartSchedules()
    {
        var store = _store as IRegistryStore ?? new MemoryRegistryStore();
        _workflows = new WorkflowRegistry(store, _time, () => _schedules?.Wake());
        _schedules = new ScheduleService(this, store, _workflows, _time, _options.Schedules);
        if (_options.Schedules.Enabled)
        {
            _schedules.Start();
        }
    }

    private Task StopSchedulesAsync() => _schedules?.StopAsync() ?? Task.CompletedTask;
}
