using Weft.Definitions;

namespace Weft.Registry;

/// <summary>A workflow's schedule as it stands: its definition (from the latest version), whether it is
/// paused, its next tick (null while paused or when the expression never fires again) and the last run it started.</summary>
public sealed record ScheduleStatus(string Workflow, ScheduleDefinition Schedule, bool Paused, DateTimeOffset? NextTick, DateTimeOffset? LastTick, string? LastRunId);
