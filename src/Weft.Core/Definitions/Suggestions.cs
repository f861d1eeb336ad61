namespace Weft.Definitions;

/// <summary>"Did you mean" hints: the closest known name by edit distance, ignoring case. A hint is
/// only looked for among names within the edit limit in length, with a banded distance that stops as
/// soon as the limit is passed, so one comparison costs O(length) however long the names are.</summary>
internal static class Suggestions
{
    /// <summary>Names longer than this get no hint: a typo in them is better found by reading.</summary>
    public const int MaxHintedLength = 64;

    [ThreadStatic]
    private static long t_work;

    /// <summary>Comparison steps done on this thread so far (candidates looked at plus distance
    /// cells), for tests that check the work grows linearly.</summary>
    internal static long WorkOnThisThread => t_work;

    public static string? Closest(string input, IEnumerable<string> candidates) => Closest(input, candidates, null);

    /// <summary>The closest candidate, looking no further once <paramref name="budget"/> is spent.</summary>
    internal static string? Closest(string input, IEnumerable<string> candidates, SuggestionBudget? budget)
    {
        if (input.Length is 0 or > MaxHintedLength)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        var limit = Math.Max(1, Math.Min(3, input.Length / 3));
        var lowered = input.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            if (budget is not null && !budget.TrySpend(1))
            {
                break;
            }

            t_work++;
            if (candidate == input || Math.Abs(candidate.Length - input.Length) > limit)
            {
                continue;
            }

            var distance = Distance(lowered, candidate.ToLowerInvariant(), limit, budget);
            // distance < length keeps 'q' from suggesting 'p': a hint must share something.
            if (distance <= limit && distance < input.Length && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>" (did you mean 'x'?)" or empty.</summary>
    public static string Hint(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } s ? $" (did you mean '{s}'?)" : string.Empty;

    /// <summary>Optimal string alignment distance (Levenshtein plus swaps of neighbours, the commonest
    /// typo), or <paramref name="max"/> + 1 when it is more than <paramref name="max"/>. Only the band
    /// of cells within <paramref name="max"/> of the diagonal can stay within it, so only those are
    /// computed; a cell outside the band that the band reads is set to "too far".</summary>
    private static int Distance(string a, string b, int max, SuggestionBudget? budget)
    {
        var tooFar = max + 1;
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return tooFar;
        }

        var older = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = Math.Min(j, tooFar);
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var from = Math.Max(1, i - max);
            var to = Math.Min(b.Length, i + max);
            current[from - 1] = from == 1 ? Math.Min(i, tooFar) : tooFar;
            if (to < b.Length)
            {
                current[to + 1] = tooFar;
            }

            var rowBest = current[from - 1];
            for (var j = from; j <= to; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d = Math.Min(d, older[j - 2] + 1);
                }

                current[j] = Math.Min(d, tooFar);
                rowBest = Math.Min(rowBest, current[j]);
            }

            var cells = to - from + 1;
            if (budget is not null && !budget.TrySpend(cells))
            {
                return tooFar;
            }

            t_work += cells;
            if (rowBest > max)
            {
                return tooFar;
            }

            (older, previous, current) = (previous, current, older);
        }

        return previous[b.Length];
    }
}

/// <summary>How much hint-finding one validation may do. Hints against the file's own names (task
/// ids, params) cost names × errors, which 20,000 unknown names made quadratic; with a budget the
/// first errors get hints and the rest are still reported, without. The budget is a count of
/// comparison steps, some tens of milliseconds of work.</summary>
internal sealed class SuggestionBudget(long steps = SuggestionBudget.DefaultSteps)
{
    public const long DefaultSteps = 5_000_000;

    private long _left = steps;

    public bool TrySpend(long count)
    {
        if (_left < count)
        {
            _left = 0;
            return false;
        }

        _left -= count;
        return true;
    }

    /// <summary>" (did you mean 'x'?)" or empty, within the budget.</summary>
    public string Hint(string input, IEnumerable<string> candidates) =>
        Suggestions.Closest(input, candidates, this) is { } s ? $" (did you mean '{s}'?)" : string.Empty;
}
