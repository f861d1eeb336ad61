using System.Diagnostics.Metrics;

namespace Weft.Server.Monitoring;

/// <summary>How an instrument's name becomes a Prometheus series name. The OpenTelemetry-style
/// instruments (a dotted name with a unit, e.g. <c>weft.task.attempt.duration</c> in <c>s</c>) are
/// converted as the OpenTelemetry Prometheus exporter does: dots to underscores, the unit as a suffix
/// (<c>_seconds</c>, <c>_bytes</c>; <c>{task}</c>-style annotations add nothing) and <c>_total</c> on
/// counters, so <c>weft_task_attempt_duration_seconds</c> and <c>weft_tasks_finished_total</c>. Every
/// other instrument keeps the name users' dashboards already query (<c>weft_tasks_succeeded_total</c>,
/// <c>weft.worker.crashes</c> → <c>weft_worker_crashes</c>), with only invalid characters replaced.</summary>
internal static class PrometheusNames
{
    public static string Series(Instrument instrument, bool isCounter)
    {
        var name = Sanitize(instrument.Name);
        if (!instrument.Name.Contains('.', StringComparison.Ordinal) || string.IsNullOrEmpty(instrument.Unit))
        {
            return name;
        }

        var suffix = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            "1" => "_ratio",
            _ when instrument.Unit.StartsWith('{') => "",
            _ => "_" + Sanitize(instrument.Unit),
        };
        if (!name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        return isCounter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>Prometheus names allow [a-zA-Z_:][a-zA-Z0-9_:]* (labels without ':'); anything else becomes '_'.</summary>
    public static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or ':') || (i == 0 && char.IsAsciiDigit(chars[i])))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
