using System.Globalization;

namespace Weft.Mapping;

/// <summary>The id users see for an instance of a map task: <c>convert[17]</c>. Task ids are letters,
/// digits, '_' and '-', so a bracket can only mean an instance; stores, queue rows and the API carry
/// it as any task id, and a worker finds the definition by the part before the bracket.</summary>
internal static class MapInstanceIds
{
    public static string Format(string taskId, int index) =>
        string.Concat(taskId, "[", index.ToString(CultureInfo.InvariantCulture), "]");

    /// <summary>The id of the task in the definition: the map task's for an instance, else the id itself.</summary>
    public static string DefinitionId(string id) => TryParse(id, out var task, out _) ? task : id;

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
