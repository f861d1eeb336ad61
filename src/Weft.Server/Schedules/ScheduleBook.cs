using Weft.Server.Workflows;

namespace Weft.Server.Schedules;

/// <summary>Schedules of the registered workflows (the latest version of each that has one), shared by
/// every <see cref="ScheduleRunner"/> of the process. It stands in for a schedules table in the store,
/// which does not exist yet: runners share it the way two servers would share that table.</summary>
internal sealed class ScheduleBook
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ScheduleEntry> _entries = new(StringComparer.Ordinal);

    public ScheduleBook(WorkflowRegistry registry)
    {
        registry.Registered += OnRegistered;
        foreach (var version in registry.Latest())
        {
            OnRegistered(version);
        }
    }

    /// <summary>Raised when a schedule is added, changed or resumed, to wake the runners.</summary>
    public event Action? Changed;

    public IReadOnlyList<ScheduleEntry> All()
    {
        lock (_gate)
        {
            return [.. _entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal)];
        }
    }

    public ScheduleEntry? Find(string name)
    {
        lock (_gate)
        {
            return _entries.GetValueOrDefault(name);
        }
    }

    /// <summary>Runs <paramref name="update"/> on an entry under the book's lock; false when unknown.</summary>
    public bool Update(string name, Action<ScheduleEntry> update)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                return false;
            }

            update(entry);
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>Takes the ticks due at <paramref name="now"/> and marks them dealt with, in one step, so
    /// two runners never both take a tick. Which missed ticks run follows each schedule's catchUp; a
    /// tick at most <paramref name="grace"/> old is on time, not missed. A paused schedule's ticks are skipped.</summary>
    public IReadOnlyList<(ScheduleEntry Entry, DateTimeOffset Tick)> TakeDue(DateTimeOffset now, TimeSpan grace, int limit)
    {
        var due = new List<(ScheduleEntry, DateTimeOffset)>();
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                if (now <= entry.Evaluated)
                {
                    continue;
                }

                var ticks = entry.Paused
                    ? []
                    : entry.Schedule.Expression().GetOccurrences(entry.Evaluated, now, entry.Schedule.Zone(), fromInclusive: false, toInclusive: true);
                IEnumerable<DateTimeOffset> chosen = entry.Schedule.CatchUp switch
                {
                    Definitions.ScheduleCatchUp.All => ticks.Take(limit),
                    Definitions.ScheduleCatchUp.Latest => ticks.TakeLast(1),
                    _ => ticks.Where(t => now - t <= grace).TakeLast(1),
                };
                due.AddRange(chosen.Select(t => (entry, t)));
                entry.Evaluated = now;
            }
        }

        return due;
    }

    /// <summary>The earliest next tick of any active schedule after <paramref name="now"/>.</summary>
    public DateTimeOffset? NextTick(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _entries.Values.Where(e => !e.Paused).Select(e => e.NextAfter(now)).Where(t => t is not null).Min();
        }
    }

    private void OnRegistered(WorkflowVersion version)
    {
        lock (_gate)
        {
            if (version.Definition.Schedule is not { } schedule)
            {
                _entries.Remove(version.Name);
            }
            else if (_entries.TryGetValue(version.Name, out var entry))
            {
                entry.Schedule = schedule;
            }
            else
            {
                // Ticks before registration are not "missed": the schedule did not exist then.
                _entries[version.Name] = new ScheduleEntry(version.Name, schedule, version.RegisteredAt);
            }
        }

        Changed?.Invoke();
    }
}
