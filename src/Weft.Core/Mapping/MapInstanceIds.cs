using System.Globalization;

namespace Weft.Mapping;

/// <summary>The id users see for an instance of a map task: <c>convert[17]</c>. Task ids are letters,
/// digits, '_' and '-', so a bracket can only mean an instance; stores, queue rows and the API carry
/// it as any task id, and a worker finds the definition by the part before the bracket.</summary>
internal static class MapInstanceIds
{
    public static string Format(string taskId, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{taskId}[{index}]");

    /// <summary>The id of the task in the definition: the map task's for an instance, else the id itself.</summary>
    public static string DefinitionId(string id) => TryParse(id, out var task, out _) ? task : id;

    /// <summary>The instance ids among <paramref name="ids"/> (rows of a stored run), each with its map
    /// task's kind, in the order a run lists them: by map task in definition order, then by index.
    /// Empty, without looking at the ids, for a definition without map tasks.</summary>
    public static List<(string Id, string Kind)> InstancesIn(Definitions.WorkflowDefinition definition, IEnumerable<string> ids)
    {
        List<(string Id, string Kind)> found = [];
        if (!definition.Tasks.Any(t => t.Map is not null))
        {
            return found;
        }

        var maps = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Tasks.Count; i++)
        {
            if (definition.Tasks[i].Map is not null)
            {
                maps.TryAdd(definition.Tasks[i].Id, i);
            }
        }

        var keyed = new List<(int Task, int Index, string Id)>();
        foreach (var id in ids)
        {
            if (TryParse(id, out var task, out var index) && maps.TryGetValue(task, out var at))
            {
                keyed.Add((at, index, id));
            }
        }

        keyed.Sort((a, b) => a.Task != b.Task ? a.Task.CompareTo(b.Task) : a.Index.CompareTo(b.Index));
        foreach (var (task, _, id) in keyed)
        {
            found.Add((id, definition.Tasks[task].Kind));
        }

        return found;
    }

    public static bool TryParse(string id, out string taskId, out int index)
    {
        taskId = id;
        index = -1;
        var open = id.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0 || id[^1] != ']'
            || !int.TryParse(id.AsSpan(open + 1, id.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            index = -1;
            return false;
        }

        taskId = id[..open];
        return true;
    }
}
