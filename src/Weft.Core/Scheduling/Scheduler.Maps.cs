using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Weft.Execution;
using Weft.Mapping;
using Weft.Templates;

namespace Weft.Scheduling;

/// <summary>Map tasks. When its parents let a map task run, its <c>over</c> is resolved and one slot
/// per element is appended to the run; the instances then go through the same queue, gates, retries
/// and journal as any task. The map task itself holds no slot: it is running while its instances
/// are, and settles when the last one is final, with the array of their outputs.</summary>
internal sealed partial class Scheduler
{
    /// <summary>The most elements a map task may fan out to (<c>WeftOptions.MaxMapItems</c>).</summary>
    public int MaxMapItems { get; set; } = 100_000;

    private void StartMap(RunExecution run, int task, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[task];
        TaskTransitions.Move(ref slot, TaskState.Queued);
        TaskTransitions.Move(ref slot, TaskState.Running);
        BeginHeldAttempt(ref slot, now); // a resumed map keeps its one attempt: the fan-out, whose instances keep theirs

        var restored = run.TakeRestoredInstances(task);
        var items = Elements(run, task, out var problem);
        if (items is null)
        {
            SettleMapTask(run, task, TaskState.Failed, output: null, problem, now);
            return;
        }

        JournalAttempt(run, task);
        JournalTask(run, task);
        Emit(run, RunEventKind.TaskStarted, task, now, slot.Attempts);
        if (items.Length == 0)
        {
            SettleMapTask(run, task, TaskState.Succeeded, "[]", error: null, now);
            return;
        }

        var fan = run.AddFanOut(task, items, run.Plan.Tasks[task].Map!.MaxParallel);
        Counters.Outstanding += items.Length;
        if (items.Length > 64)
        {
            _ready.Reserve(run.PriorityOf(task), Math.Min(items.Length, fan.MaxParallel ?? int.MaxValue));
        }

        if (restored is not null)
        {
            RestoreInstances(run, fan, restored, now);
        }

        if (fan.Remaining == 0)
        {
            SettleMap(run, fan, now);
            return;
        }

        QueueInstances(run, fan, now);
    }

    /// <summary>The elements of the map task's list as JSON texts; null with the reason when it is
    /// not a JSON array or is too long.</summary>
    private string[]? Elements(RunExecution run, int task, out string? problem)
    {
        var over = run.Plan.Tasks[task].Map!.Over;
        string text;
        try
        {
            text = Template.MayContainReferences(over) ? Template.Parse(over).Render(run.Resolve) : over;
        }
        catch (TemplateResolutionException ex)
        {
            problem = $"map over '{over}': {ex.Message}";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            problem = $"map over '{over}' must be a JSON array, but the value is not JSON: {Clip(text)}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                problem = $"map over '{over}' must be a JSON array, but the value is {KindName(root.ValueKind)}: {Clip(text)}";
                return null;
            }

            var length = root.GetArrayLength();
            if (length > MaxMapItems)
            {
                problem = string.Create(CultureInfo.InvariantCulture,
                    $"map over '{over}' has {length} elements, more than the maximum of {MaxMapItems} (WeftOptions.MaxMapItems, config key maxMapItems)");
                return null;
            }

            var items = new string[length];
            var i = 0;
            foreach (var element in root.EnumerateArray())
            {
                items[i++] = element.GetRawText();
            }

            problem = null;
            return items;
        }
    }

    /// <summary>Queues instances in element order while the map's <c>maxParallel</c> has room.</summary>
    private void QueueInstances(RunExecution run, MapFanOut fan, DateTimeOffset now)
    {
        var max = fan.MaxParallel ?? int.MaxValue;
        while (fan.Cursor < fan.Count && fan.InFlight < max)
        {
            var instance = fan.First + fan.Cursor++;
            if (run.Slots[instance].State == TaskState.Pending)
            {
                fan.InFlight++;
                Queue(run, instance, now);
            }
        }
    }

    /// <summary>An instance became final (from <see cref="Finish"/>): make room for the next one, and
    /// settle the map task when it was the last.</summary>
    private void InstanceFinal(RunExecution run, int instance, DateTimeOffset now)
    {
        var fan = run.FanOutOf(instance)!;
        fan.Remaining--;
        fan.InFlight--;
        if (!run.CancelRequested)
        {
            QueueInstances(run, fan, now);
        }

        if (fan.Remaining == 0)
        {
            SettleMap(run, fan, now);
        }
    }

    /// <summary>After a cancel made instances final without <see cref="Finish"/>: settles the map tasks
    /// none of whose instances still runs.</summary>
    private void SettleCancelledMaps(RunExecution run, DateTimeOffset now)
    {
        if (run.FanOuts is not { } fans)
        {
            return;
        }

        foreach (var fan in fans)
        {
            var remaining = 0;
            for (var i = fan.First; i < fan.First + fan.Count; i++)
            {
                if (!run.Slots[i].State.IsFinal())
                {
                    remaining++;
                }
            }

            fan.Remaining = remaining;
            if (remaining == 0 && run.Slots[fan.Task].State == TaskState.Running)
            {
                SettleMap(run, fan, now);
            }
        }
    }

    /// <summary>Every instance is final: the map task succeeds when all did, and its output is the
    /// array of their outputs in element order (JSON outputs as they are, other text as strings).</summary>
    private void SettleMap(RunExecution run, MapFanOut fan, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var unsuccessful = 0;
        var cancelled = false;
        List<string>? named = null;
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            for (var i = fan.First; i < fan.First + fan.Count; i++)
            {
                ref readonly var slot = ref run.Slots[i];
                if (slot.State is not (TaskState.Succeeded or TaskState.Cached or TaskState.Skipped))
                {
                    unsuccessful++;
                    cancelled |= slot.State == TaskState.Cancelled;
                    if ((named ??= []).Count < 5)
                    {
                        named.Add($"{run.TaskId(i)} ({slot.State.ToName()})");
                    }
                }

                WriteJsonOrText(w, slot.Output);
            }

            w.WriteEndArray();
        }

        var output = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (unsuccessful == 0)
        {
            SettleMapTask(run, fan.Task, TaskState.Succeeded, output, error: null, now);
            return;
        }

        var more = unsuccessful > named!.Count ? ", …" : string.Empty;
        var error = string.Create(CultureInfo.InvariantCulture,
            $"{unsuccessful} of {fan.Count} instances did not succeed: {string.Join(", ", named)}{more}");
        SettleMapTask(run, fan.Task, cancelled && run.CancelRequested ? TaskState.Cancelled : TaskState.Failed, output, error, now);
    }

    private void SettleMapTask(RunExecution run, int task, TaskState final, string? output, string? error, DateTimeOffset now) =>
        SettleHeldAttempt(run, task, final, output, error, now);

    /// <summary>An output inside a JSON document: JSON as it is, other text as a string, none as null.</summary>
    internal static void WriteJsonOrText(Utf8JsonWriter w, string? output)
    {
        if (output is null)
        {
            w.WriteNullValue();
            return;
        }

        var trimmed = output.AsSpan().Trim();
        if (trimmed.Length > 0 && (trimmed[0] is '{' or '[' or '"' or '-' or 't' or 'f' or 'n' || char.IsAsciiDigit(trimmed[0])))
        {
            try
            {
                using var document = JsonDocument.Parse(output);
                document.RootElement.WriteTo(w);
                return;
            }
            catch (JsonException)
            {
                // Text that only looks like JSON ("no such file") is text.
            }
        }

        w.WriteStringValue(output);
    }

    /// <summary>Stored instance records of a resumed run: final ones stay final, a running attempt is
    /// recorded interrupted and runs again, a retry keeps its due time.</summary>
    private void RestoreInstances(RunExecution run, MapFanOut fan, List<(int Index, TaskSnapshot Task, DateTimeOffset? RetryDueAt)> restored, DateTimeOffset now)
    {
        foreach (var (index, stored, due) in restored)
        {
            if (index >= fan.Count)
            {
                continue; // the list changed under a rerun upstream; the record is of no instance now
            }

            var t = fan.First + index;
            ref var slot = ref run.Slots[t];
            RunExecution.Load(ref slot, stored);
            switch (slot.State)
            {
                case TaskState.Running:
                    RestoreInterrupted(run, t, now); // the instance starts over
                    break;
                case TaskState.Queued:
                    slot.State = TaskState.Pending;
                    break;
                case TaskState.Retrying:
                    var delay = due is { } at && at > now ? at - now : TimeSpan.Zero;
                    slot.RetryDelay = delay;
                    slot.RetryTimer = LongTimers.Once(time, static state => ((RetryTimerState)state!).Fire(), new RetryTimerState(onRetryDue, run, t), delay);
                    fan.InFlight++;
                    break;
                default:
                    if (slot.State.IsFinal())
                    {
                        fan.Remaining--;
                        run.FinalCount++;
                        Counters.Outstanding--;
                        if (slot.State is not (TaskState.Succeeded or TaskState.Skipped or TaskState.Cached))
                        {
                            run.UnsuccessfulCount++;
                        }
                    }

                    break;
            }
        }
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string Clip(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
