using System.Diagnostics;
using System.Diagnostics.Metrics;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;

namespace Weft.Monitoring;

/// <summary>The per-task instruments of a <see cref="WeftMetrics"/> meter, which the scheduler records
/// into as tasks start and finish (under its lock): tasks finished by workflow, kind and outcome, the
/// duration of each attempt and each task's wait in the queue.
/// <para>Cost: each call first reads the instrument's <see cref="Instrument.Enabled"/> (a field), and
/// returns when no listener has enabled it, so an engine nobody scrapes pays a null check and a field
/// read per task. With a listener (the server's <c>/metrics</c>, an OpenTelemetry exporter) each record
/// is a <see cref="TagList"/> on the stack (no allocation: the tag values are the workflow's name, the
/// kind's and constant outcome names) handed to each listener, whose aggregation is the cost.</para></summary>
internal sealed class TaskInstruments
{
    public const string WorkflowTag = "weft.workflow";
    public const string KindTag = "weft.kind";
    public const string OutcomeTag = "weft.outcome";

    // Histogram buckets (seconds) from 1 ms to 10 min: a no-op task to a long shell step.
    private static readonly double[] DurationBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 600];

    private readonly Counter<long> _finished;
    private readonly Histogram<double> _attemptDuration;
    private readonly Histogram<double> _queueTime;

    public TaskInstruments(Meter meter)
    {
        _finished = meter.CreateCounter<long>("weft.tasks.finished", unit: "{task}",
            description: "Tasks that reached a final state, by workflow, kind and outcome (succeeded, failed, timed_out, cancelled, skipped, cached, upstream_failed…).");
        _attemptDuration = meter.CreateHistogram("weft.task.attempt.duration", unit: "s",
            description: "How long each attempt of a task ran, start to outcome, by workflow, kind and the attempt's outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _queueTime = meter.CreateHistogram("weft.task.queue.duration", unit: "s",
            description: "How long a task waited from ready (queued) to started, by workflow and kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public void Started(RunExecution run, int task, long waitTicks)
    {
        if (!_queueTime.Enabled)
        {
            return;
        }

        _queueTime.Record(waitTicks / (double)TimeSpan.TicksPerSecond, new TagList
        {
            { WorkflowTag, run.WorkflowName },
            { KindTag, run.Plan.Tasks[task].Kind },
        });
    }

    public void AttemptFinished(RunExecution run, int task, TaskOutcomeStatus outcome, long durationTicks)
    {
        if (!_attemptDuration.Enabled)
        {
            return;
        }

        _attemptDuration.Record(durationTicks / (double)TimeSpan.TicksPerSecond, new TagList
        {
            { WorkflowTag, run.WorkflowName },
            { KindTag, run.Plan.Tasks[task].Kind },
            { OutcomeTag, OutcomeName(outcome) },
        });
    }

    public void TaskFinished(RunExecution run, int task, TaskState final)
    {
        if (!_finished.Enabled)
        {
            return;
        }

        _finished.Add(1, new TagList
        {
            { WorkflowTag, run.WorkflowName },
            { KindTag, run.Plan.Tasks[task].Kind },
            { OutcomeTag, final.ToName() },
        });
    }

    private static string OutcomeName(TaskOutcomeStatus status) => status switch
    {
        TaskOutcomeStatus.Succeeded => "succeeded",
        TaskOutcomeStatus.Failed => "failed",
        TaskOutcomeStatus.TimedOut => "timed_out",
        TaskOutcomeStatus.Cancelled => "cancelled",
        TaskOutcomeStatus.Interrupted => "interrupted",
        _ => "unknown",
    };
}
