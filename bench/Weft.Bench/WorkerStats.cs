using System.Text.Json;

namespace Weft.Bench;

/// <summary>What a <c>weft worker --stats-file PATH</c> reports to the cluster benchmark: its store's
/// counters and its first claim. Rewritten while the worker runs (<see cref="WriteEvery"/>) and once more
/// when it has stopped; <see cref="Sequence"/> grows with every write so a reader can wait for a fresh one.</summary>
/// <param name="Sequence">1 for the first write, then one more per write.</param>
/// <param name="Statements">SQL statements the worker's PostgresStore sent (claims, completions, heartbeats, LISTEN, definition reads).</param>
/// <param name="Commits">Write transactions the worker's PostgresStore committed (claims that took rows, completion batches, heartbeats).</param>
/// <param name="Completed">Outcomes the worker has written.</param>
/// <param name="FirstClaimUtc">When the worker's first claim that returned a task came back; null before.</param>
/// <param name="Stopped">True in the last write, after the worker stopped.</param>
internal sealed record WorkerStats(long Sequence, long Statements, long Commits, long Completed, DateTimeOffset? FirstClaimUtc, bool Stopped)
{
    public static readonly TimeSpan WriteEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>Written to a temporary file and renamed over <paramref name="path"/>, so a reader never
    /// sees half a file.</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The last complete write, or null while there is none.</summary>
    public static WorkerStats? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerStats>(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }
}
