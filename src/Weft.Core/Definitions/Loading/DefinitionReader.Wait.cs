namespace Weft.Definitions.Loading;

/// <summary>Reading <c>wait</c>: a mapping with one of <c>signal</c> (a signal's name), <c>until</c>
/// alone (a point in time), or <c>http</c> with <c>until</c> (a sensor's request and condition), plus
/// <c>every</c> (sensors), <c>timeout</c> and <c>onTimeout</c>. The validator checks the combination
/// and parses the condition, at the places recorded here.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] WaitFields = ["signal", "until", "http", "every", "timeout", "onTimeout"];

    private WaitSpec? ReadWait(int index, DocNode value, string ctx)
    {
        if (value is not DocMapping map)
        {
            Error(value.Location, $"'wait' {ctx} must be a mapping with 'signal', 'until' or 'http' (and 'timeout'), not {Shown(value)}");
            return null;
        }

        var f = Fields(map, $"of 'wait' {ctx}", WaitFields);
        Map.Add(index, FieldPaths.Wait, map.Location);
        var spec = new WaitSpec();
        if (f.TryGetValue("signal", out var s))
        {
            AddPlace(index, FieldPaths.WaitSignal, s.Value);
            spec = spec with { Signal = Text(s.Value, $"'signal' of 'wait' {ctx}") };
        }

        if (f.TryGetValue("until", out var u))
        {
            AddPlace(index, FieldPaths.WaitUntil, u.Value);
            spec = spec with { Until = Text(u.Value, $"'until' of 'wait' {ctx}") };
        }

        if (f.TryGetValue("http", out var h))
        {
            AddPlace(index, FieldPaths.WaitHttp, h.Value);
            spec = spec with { Http = ReadHttp(index, h.Value, $"in 'wait' {ctx}") };
        }

        if (f.TryGetValue("every", out var e))
        {
            AddPlace(index, FieldPaths.WaitEvery, e.Value);
            if (Duration(e.Value, "every") is { } every)
            {
                spec = spec with { Every = every };
            }
        }

        if (f.TryGetValue("timeout", out var t))
        {
            AddPlace(index, FieldPaths.WaitTimeout, t.Value);
            spec = spec with { Timeout = Duration(t.Value, "timeout") };
        }

        if (f.TryGetValue("onTimeout", out var o))
        {
            switch (Text(o.Value, $"'onTimeout' of 'wait' {ctx}"))
            {
                case "fail":
                    break;
                case "succeed":
                    spec = spec with { OnTimeout = WaitTimeoutOutcome.Succeed };
                    break;
                case { } other:
                    Error(o.Value.Location, $"'onTimeout' of 'wait' {ctx} must be 'fail' or 'succeed', not '{other}'");
                    break;
            }
        }

        return spec;
    }
}
