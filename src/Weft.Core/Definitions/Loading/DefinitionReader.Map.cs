namespace Weft.Definitions.Loading;

/// <summary>Reading <c>map</c>: a mapping with <c>over</c> (a template resolving to a JSON array) and
/// an optional <c>maxParallel</c>. The validator checks both, at the places recorded here.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] MapFields = ["over", "maxParallel"];

    private MapSpec? ReadMap(int index, DocNode node, string ctx)
    {
        if (node is not DocMapping map)
        {
            Error(node.Location, $"'map' {ctx} must be a mapping with {Names.List(MapFields)}, not {Shown(node)}");
            return null;
        }

        var f = Fields(map, $"in map {ctx}", MapFields);
        if (!f.TryGetValue("over", out var o))
        {
            Error(node.Location, $"'map' {ctx} needs 'over': the JSON array to run the task for, e.g. \"{{{{ tasks.ID.output }}}}\"");
            return null;
        }

        if (Text(o.Value, $"'over' of map {ctx}") is not { } over)
        {
            return null;
        }

        AddPlace(index, FieldPaths.MapOver, o.Value);
        int? maxParallel = null;
        if (f.TryGetValue("maxParallel", out var mp))
        {
            maxParallel = Int(mp.Value, $"'maxParallel' of map {ctx}");
            AddPlace(index, FieldPaths.MapMaxParallel, mp.Value);
        }

        return new MapSpec(over) { MaxParallel = maxParallel };
    }
}
