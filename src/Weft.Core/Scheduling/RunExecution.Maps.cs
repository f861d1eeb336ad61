using Weft.Definitions;
using Weft.Execution;
using Weft.Mapping;

namespace Weft.Scheduling;

/// <summary>Map tasks' instances: slots appended past the plan's tasks when a map task's list is
/// resolved, so an instance is scheduled, gated, retried and recorded exactly like a static task
/// (the plan is not compiled again). An instance's definition is its map task's.</summary>
internal sealed partial class RunExecution
{
    // The fan-out each appended slot belongs to, indexed by slot - Plan.Count; null until a map expands.
    private MapFanOut[]? _fanOutOf;

    // Instance ids, built when first asked for (journal, snapshots, events).
    private string?[]? _instanceIds;

    // Instance records read back from the store, by map task, until the map expands again on resume.
    private Dictionary<int, List<(int Index, TaskSnapshot Task, DateTimeOffset? RetryDueAt)>>? _restoredInstances;

    /// <summary>Fan-outs in the order they happened; null for a run without any.</summary>
    public List<MapFanOut>? FanOuts { get; private set; }

    /// <summary>The plan index of the task's definition: the task itself, or an instance's map task.</summary>
    public int DefIndex(int task) => task < Plan.Count ? task : _fanOutOf![task - Plan.Count].Task;

    public TaskDefinition TaskDef(int task) => Plan.Tasks[DefIndex(task)];

    /// <summary>The id users see: the task's, or <c>map[17]</c> for an instance.</summary>
    public string TaskId(int task)
    {
        if (task < Plan.Count)
        {
            return Plan.Tasks[task].Id;
        }

        var i = task - Plan.Count;
        if (_instanceIds![i] is { } id)
        {
            return id;
        }

        var fan = _fanOutOf![i];
        return _instanceIds[i] = MapInstanceIds.Format(Plan.Tasks[fan.Task].Id, task - fan.First);
    }

    public bool IsMapTask(int task) => task < Plan.Count && Plan.Tasks[task].Map is not null;

    /// <summary>The fan-out an instance belongs to; null for a static task.</summary>
    public MapFanOut? FanOutOf(int task) => task < Plan.Count ? null : _fanOutOf![task - Plan.Count];

    /// <summary>The fan-out of a map task; null until its list was resolved.</summary>
    public MapFanOut? FanOutFor(int mapTask)
    {
        if (FanOuts is { } fans)
        {
            foreach (var fan in fans)
            {
                if (fan.Task == mapTask)
                {
                    return fan;
                }
            }
        }

        return null;
    }

    /// <summary>Finds a task or instance by the id users see.</summary>
    public bool TryFindTask(string id, out int task)
    {
        if (Plan.IndexOf.TryGetValue(id, out task))
        {
            return true;
        }

        if (MapInstanceIds.TryParse(id, out var mapId, out var index) && Plan.IndexOf.TryGetValue(mapId, out var map)
            && FanOutFor(map) is { } fan && index < fan.Count)
        {
            task = fan.First + index;
            return true;
        }

        task = -1;
        return false;
    }

    /// <summary>The values the task's templates render with: the run's, plus item and index for an instance.</summary>
    public ITemplateValues ValuesFor(int task)
    {
        if (FanOutOf(task) is not { UsesTemplates: true } fan)
        {
            return this;
        }

        var index = task - fan.First;
        return new MapInstanceValues(this, fan.Items[index], index);
    }

    /// <summary>Appends one pending slot per element; call under the engine's lock, holding no
    /// reference into <see cref="Slots"/> (the array is replaced).</summary>
    public MapFanOut AddFanOut(int mapTask, string[] items, int? maxParallel)
    {
        var first = Slots.Length;
        var definition = Plan.Tasks[mapTask];
        var usesTemplates = Cluster.TaskPayload.UsesTemplates(definition.Spec) || definition.Cache?.Key is not null;
        var fan = new MapFanOut(mapTask, first, items, maxParallel, usesTemplates);
        var slots = new TaskSlot[first + items.Length];
        Array.Copy(Slots, slots, first);
        Slots = slots;

        var extra = first - Plan.Count + items.Length;
        var owners = new MapFanOut[extra];
        var ids = new string?[extra];
        if (_fanOutOf is { } old)
        {
            Array.Copy(old, owners, old.Length);
            Array.Copy(_instanceIds!, ids, old.Length);
        }

        Array.Fill(owners, fan, first - Plan.Count, items.Length);
        _fanOutOf = owners;
        _instanceIds = ids;
        (FanOuts ??= []).Add(fan);
        return fan;
    }

    /// <summary>Keeps a stored instance record for when its map task expands again.</summary>
    private bool RestoreInstance(TaskSnapshot task)
    {
        if (!MapInstanceIds.TryParse(task.TaskId, out var mapId, out var index) || !Plan.IndexOf.TryGetValue(mapId, out var map)
            || Plan.Tasks[map].Map is null)
        {
            return false;
        }

        _restoredInstances ??= [];
        if (!_restoredInstances.TryGetValue(map, out var list))
        {
            _restoredInstances[map] = list = [];
        }

        list.Add((index, task, task.RetryDueAt));
        return true;
    }

    /// <summary>The stored instance records of a map task, once; null when there are none.</summary>
    public List<(int Index, TaskSnapshot Task, DateTimeOffset? RetryDueAt)>? TakeRestoredInstances(int mapTask)
    {
        if (_restoredInstances is null || !_restoredInstances.Remove(mapTask, out var list))
        {
            return null;
        }

        return list;
    }
}
