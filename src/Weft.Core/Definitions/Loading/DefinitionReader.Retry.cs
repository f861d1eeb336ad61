namespace Weft.Definitions.Loading;

/// <summary>Reading <c>retry</c>. Fields left out keep the defaults of <see cref="RetryPolicy"/>.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] RetryFields = ["strategy", "maxAttempts", "delay", "maxDelay", "multiplier", "jitter", "retryOn"];

    private RetryPolicy? ReadRetry(DocNode node, string ctx, List<(string Field, SourceLocation Location)> places)
    {
        if (node is not DocMapping map)
        {
            Error(node.Location, $"'retry' {ctx} must be a mapping with {Names.List(RetryFields)}, not {node.Describe}");
            return null;
        }

        places.Add((FieldPaths.Retry, map.Location));
        var f = Fields(map, $"in retry {ctx}", RetryFields);
        var policy = new RetryPolicy();
        if (f.TryGetValue("strategy", out var s) && Enum(s.Value, "retry strategy", ctx, Names.Strategies) is { } strategy)
        {
            policy = strategy == RetryStrategy.None ? RetryPolicy.None : policy with { Strategy = strategy };
        }

        if (f.TryGetValue("maxAttempts", out var m) && Int(m.Value, $"'maxAttempts' {ctx}") is { } attempts)
        {
            policy = policy with { MaxAttempts = attempts };
        }

        if (f.TryGetValue("delay", out var d) && Duration(d.Value, "delay") is { } delay)
        {
            policy = policy with { Delay = delay };
        }

        if (f.TryGetValue("maxDelay", out var md) && Duration(md.Value, "maxDelay") is { } maxDelay)
        {
            policy = policy with { MaxDelay = maxDelay };
        }

        if (f.TryGetValue("multiplier", out var mu) && Number(mu.Value, $"'multiplier' {ctx}") is { } multiplier)
        {
            policy = policy with { Multiplier = multiplier };
        }

        if (f.TryGetValue("jitter", out var j) && Bool(j.Value, $"'jitter' {ctx}") is { } jitter)
        {
            policy = policy with { Jitter = jitter };
        }

        if (f.TryGetValue("retryOn", out var on))
        {
            policy = policy with { RetryOn = ReadRetryOn(on.Value, ctx) };
        }

        foreach (var (field, message) in ValueChecks.Retry(policy))
        {
            var place = f.TryGetValue(field, out var e) ? e.Value.Location : map.Location;
            Error(place, $"retry {ctx}: {message}");
        }

        return policy;
    }

    private List<RetryCondition> ReadRetryOn(DocNode node, string ctx)
    {
        List<RetryCondition> result = [];
        IReadOnlyList<DocNode> items = node is DocSequence seq ? seq.Items : [node];
        foreach (var item in items)
        {
            if (Text(item, $"'retryOn' {ctx}") is not { } text)
            {
                continue;
            }

            if (RetryConditions.TryParse(text, out var condition))
            {
                result.Add(condition);
            }
            else
            {
                Error(item.Location, $"bad retryOn entry '{text}' {ctx}; expected {RetryConditions.Expected}");
            }
        }

        return result;
    }
}
