using Weft.Definitions;

namespace Weft.Planning;

/// <summary>The ids of a plan's tasks, as a list over the tasks themselves.</summary>
internal sealed class TaskIdList(TaskDefinition[] tasks) : IReadOnlyList<string>
{
    public int Count => tasks.Length;

    public string this[int index] => tasks[index].Id;

    public IEnumerator<string> GetEnumerator() => tasks.Select(t => t.Id).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
