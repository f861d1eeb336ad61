using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>Picks, out of one group commit's changes, the last change of each row. Every change is
/// the full latest state of its row and the batch commits as one transaction, so an earlier change
/// of a row that a later one overwrites in the same transaction is a statement for nothing: a task
/// that starts and ends within one batch (most of them, when tasks are short) costs two statements,
/// its task row and its attempt row, instead of four. Not thread-safe: the store's writer owns one.</summary>
internal sealed class LatestChanges
{
    // Batches are applied one at a time under the write gate: one table, cleared after each.
    private readonly Dictionary<RowKey, int> _last = [];

    /// <summary>Calls <paramref name="apply"/> for the last change of each row, in journal order.</summary>
    public void ForEach(IReadOnlyList<StoreChange> changes, Action<StoreChange> apply)
    {
        if (changes.Count < 2)
        {
            for (var i = 0; i < changes.Count; i++)
            {
                apply(changes[i]);
            }

            return;
        }

        try
        {
            for (var i = 0; i < changes.Count; i++)
            {
                _last[RowKey.Of(changes[i])] = i;
            }

            for (var i = 0; i < changes.Count; i++)
            {
                if (_last[RowKey.Of(changes[i])] == i)
                {
                    apply(changes[i]);
                }
            }
        }
        finally
        {
            _last.Clear();
        }
    }

    /// <summary>The row a change writes: a run's, a task's, or one attempt's (the attempt number
    /// counts only for attempt rows; a task row's count of attempts is part of its state).</summary>
    private readonly record struct RowKey(StoreChangeKind Kind, string RunId, string? TaskId, int Attempt)
    {
        public static RowKey Of(in StoreChange c) => c.Kind switch
        {
            StoreChangeKind.Run => new(c.Kind, c.RunId, null, 0),
            StoreChangeKind.Task => new(c.Kind, c.RunId, c.TaskId, 0),
            StoreChangeKind.SignalTaken => new(c.Kind, c.RunId, c.QueueId.ToString(System.Globalization.CultureInfo.InvariantCulture), 0),
            // Attempt rows; queue changes, which this store ignores, alike.
            _ => new(c.Kind, c.RunId, c.TaskId, c.Attempt),
        };
    }
}
