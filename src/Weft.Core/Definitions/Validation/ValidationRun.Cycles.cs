namespace Weft.Definitions.Validation;

/// <summary>Cycle detection, iterative so that a chain of many thousand tasks cannot overflow the stack.</summary>
internal sealed partial class ValidationRun
{
    private void CheckCycles()
    {
        var n = _def.Tasks.Count;
        if (!_def.Tasks.Any(t => t.DependsOn.Count > 0))
        {
            return; // nothing depends on anything (a wide workflow): no cycle, and no tables to build
        }

        var deps = Dependencies();
        var state = new byte[n]; // 0 unseen, 1 on the current path, 2 done
        var path = new List<int>();
        var next = new int[n];
        var reported = new HashSet<string>(StringComparer.Ordinal);
        for (var root = 0; root < n; root++)
        {
            if (state[root] != 0)
            {
                continue;
            }

            path.Add(root);
            state[root] = 1;
            while (path.Count > 0)
            {
                var node = path[^1];
                if (next[node] == deps[node].Count)
                {
                    state[node] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                var dep = deps[node][next[node]++];
                if (state[dep] == 1)
                {
                    ReportCycle(path.GetRange(path.IndexOf(dep), path.Count - path.IndexOf(dep)), reported);
                }
                else if (state[dep] == 0)
                {
                    state[dep] = 1;
                    path.Add(dep);
                }
            }
        }
    }

    /// <summary>For each task, the indices of the tasks it depends on (unknown ids and itself left out;
    /// those are reported elsewhere).</summary>
    private IReadOnlyList<int>[] Dependencies()
    {
        var deps = new IReadOnlyList<int>[_def.Tasks.Count];
        for (var i = 0; i < deps.Length; i++)
        {
            List<int>? list = null; // a task without dependencies (most, in a wide workflow) gets none
            foreach (var id in _def.Tasks[i].DependsOn)
            {
                if (_index.TryGetValue(id, out var d) && d != i && !(list?.Contains(d) ?? false))
                {
                    (list ??= []).Add(d);
                }
            }

            deps[i] = list is null ? [] : list;
        }

        return deps;
    }

    /// <summary><paramref name="loop"/> follows dependsOn (each depends on the next, the last on the
    /// first). It is spelled the way work flows, upstream first, starting at the task written first.</summary>
    private void ReportCycle(List<int> loop, HashSet<string> reported)
    {
        loop.Reverse();
        var start = loop.IndexOf(loop.Min());
        var flow = loop.Skip(start).Concat(loop.Take(start)).ToList();
        var ids = flow.Select(i => _def.Tasks[i].Id).ToList();
        if (!reported.Add(string.Join('\n', ids)))
        {
            return;
        }

        // The first task waits on the last one: point at that dependsOn entry, where a fix would go.
        var first = _def.Tasks[flow[0]];
        var entry = Enumerable.Range(0, first.DependsOn.Count).FirstOrDefault(j => first.DependsOn[j] == ids[^1]);
        var place = Place(flow[0], Loading.FieldPaths.Item(Loading.FieldPaths.DependsOn, entry));
        Error(place, $"cycle: {string.Join(" → ", ids)} → {ids[0]}");
    }
}
