using System.Globalization;
using System.Text;
using Maran.Instrument.Alerts;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Tool.Prometheus;

/// <summary>
/// The PromQL of the rules file, over the series <c>/metrics</c> exports (names after <c>monitoring.metrics_prefix</c>).
/// Alerts are per scraped process (<c>job</c>, <c>instance</c>), as the in-process engine sees one process; SLOs are per
/// <c>job</c>, the whole fleet of one service.
/// </summary>
internal sealed class PromQl(string prefix)
{
    /// <summary>The labels of one process's series: Prometheus adds both at scrape time.</summary>
    internal const string InstanceLabels = "job, instance";

    /// <summary>The labels of one operation's series in one process.</summary>
    internal const string OperationLabels = "job, instance, operation, component, kind";

    /// <summary>
    /// The <c>le</c> boundaries of <c>operation_duration_seconds</c>, in seconds, as the Prometheus package exports them
    /// (a test holds the two lists equal): a latency SLO's good calls are read from the buckets around its latency.
    /// </summary>
    internal static readonly double[] BucketBoundaries =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>The exported metric <paramref name="name"/> with the configured prefix.</summary>
    internal string Metric(string name) => prefix + name;

    /// <summary>The recording rule name <c>level:metric:operations</c>, the metric part prefixed as the exported names are.</summary>
    internal string Recorded(string level, string metric, string operations) => $"{level}:{prefix}{metric}:{operations}";

    /// <summary>
    /// The expression whose value is what the in-process engine reads for <paramref name="rule"/>'s metric, or null when
    /// what <c>/metrics</c> exports cannot give it (<paramref name="why"/> then says what is missing).
    /// </summary>
    internal string? ValueOf(AlertRule rule, out string? why)
    {
        why = null;
        string window = Duration(rule.Window ?? ProfilerMetricSource.DefaultWindow);
        string selection = Selection(rule.Operation, rule.Component);
        string calls = Metric("operation_calls_total");
        switch (rule.Metric)
        {
            case AlertMetrics.CpuPercent:
                return Metric("cpu_usage_percent");
            case AlertMetrics.HealthScore:
                return Metric("system_health_score");
            case AlertMetrics.GpuPercent:
                return Metric("gpu_usage_percent");
            case AlertMetrics.GpuMemoryPercent:
                return $"100 * {Metric("gpu_memory_used_bytes")} / {Metric("gpu_memory_total_bytes")}";
            case AlertMetrics.OperationInFlight:
                return Metric("operation_in_flight") + Braces(selection);
            case AlertMetrics.OperationCallsPerSecond:
                return $"sum by ({OperationLabels}) (rate({calls}{Braces(selection)}[{window}]))";
            case AlertMetrics.OperationErrors:
                return ZeroWhenAbsent($"sum by ({OperationLabels}) (increase({calls}{Braces(Join(selection, "status=\"error\""))}[{window}]))",
                    $"sum by ({OperationLabels}) (increase({calls}{Braces(selection)}[{window}]))");
            case AlertMetrics.OperationErrorRate:
                return ZeroWhenAbsent($"sum by ({OperationLabels}) (rate({calls}{Braces(Join(selection, "status=\"error\""))}[{window}]))",
                    $"sum by ({OperationLabels}) (rate({calls}{Braces(selection)}[{window}]))")
                    + $" / sum by ({OperationLabels}) (rate({calls}{Braces(selection)}[{window}]))";
            case AlertMetrics.OperationP95Ms:
            case AlertMetrics.OperationP99Ms:
                string q = rule.Metric == AlertMetrics.OperationP95Ms ? "0.95" : "0.99";
                return $"1000 * histogram_quantile({q}, sum by ({OperationLabels}, le) (rate({Metric("operation_duration_seconds_bucket")}{Braces(selection)}[{window}])))";
            case AlertMetrics.OperationMeanMs:
                return $"1000 * sum by ({OperationLabels}) (rate({Metric("operation_duration_seconds_sum")}{Braces(selection)}[{window}]))"
                    + $" / sum by ({OperationLabels}) (rate({Metric("operation_duration_seconds_count")}{Braces(selection)}[{window}]))";
            case AlertMetrics.CostPerHourUsd:
                return $"sum by ({InstanceLabels}) (increase({Metric("total_cost_usd")}[1h]))";
            case AlertMetrics.CostPerDayUsd:
                return $"sum by ({InstanceLabels}) (increase({Metric("total_cost_usd")}[1d]))";
            case AlertMetrics.ModelCostPerHourUsd:
                return $"sum by ({InstanceLabels}, model) (increase({Metric("total_cost_usd")}{{resource_type=\"tokens\"}}[1h]))";
            case AlertMetrics.ModelTokensPerMinute:
                return $"sum by ({InstanceLabels}, model) (increase({Metric("tokens_total")}{{type=~\"input|output\"}}[1m]))";
            case AlertMetrics.TokensPerMinute:
                // Cached tokens are part of the input and reasoning tokens part of the output: counted once each.
                return $"sum by ({InstanceLabels}) (increase({Metric("tokens_total")}{{type=~\"input|output\"}}[1m]))";
            case AlertMetrics.MemoryPercent:
                why = "/metrics exports the memory in use (memory_usage_bytes) but not the machine's total";
                return null;
            case AlertMetrics.DiskPercent:
                why = "/metrics exports no disk use";
                return null;
            case AlertMetrics.BudgetUsedPercent:
                why = "budgets are kept in the process; /metrics exports the money spent (total_cost_usd), not the budgets' periods";
                return null;
            default:
                why = "a custom metric is fed to the process's own alert engine and not exported";
                return null;
        }
    }

    /// <summary>
    /// The share of an SLO's calls over <paramref name="window"/> that were bad, summed over every instance of the job: for
    /// availability, failed calls among those that succeeded or failed; for latency, timed calls slower than the latency,
    /// the bucket holding it counted in proportion as the in-process tracker does.
    /// </summary>
    internal string ErrorRatio(SloDefinition slo, TimeSpan window)
    {
        string w = Duration(window);
        string selection = Selection(slo.Operation, slo.Component);
        if (slo.Latency is not { } latency)
        {
            string calls = Metric("operation_calls_total");
            return ZeroWhenAbsent($"sum by (job) (rate({calls}{Braces(Join(selection, "status=\"error\""))}[{w}]))",
                    $"sum by (job) (rate({calls}{Braces(selection)}[{w}]))")
                + $" / sum by (job) (rate({calls}{Braces(Join(selection, "status=~\"success|error\""))}[{w}]))";
        }

        string Bucket(double le) => $"sum by (job) (rate({Metric("operation_duration_seconds_bucket")}{Braces(Join(selection, LeMatcher(le)))}[{w}]))";
        string total = $"sum by (job) (rate({Metric("operation_duration_seconds_count")}{Braces(selection)}[{w}]))";
        double seconds = latency.TotalSeconds;
        int upper = Array.FindIndex(BucketBoundaries, b => b >= seconds);
        string good;
        if (upper < 0)
        {
            good = Bucket(BucketBoundaries[^1]);
        }
        else if (BucketBoundaries[upper] == seconds)
        {
            good = Bucket(seconds);
        }
        else if (upper == 0)
        {
            good = $"{Bucket(BucketBoundaries[0])} * {Number(seconds / BucketBoundaries[0])}";
        }
        else
        {
            double lower = BucketBoundaries[upper - 1];
            double share = (seconds - lower) / (BucketBoundaries[upper] - lower);
            good = $"({Bucket(lower)} + ({Bucket(BucketBoundaries[upper])} - {Bucket(lower)}) * {Number(share)})";
        }

        return $"1 - {good} / {total}";
    }

    /// <summary>
    /// The exported <c>le</c> boundaries either side of a latency SLO's latency, when it is not one of them (the calls
    /// between them are then interpolated); nulls for an availability SLO or a latency on a boundary.
    /// </summary>
    internal static (double? Lower, double? Upper) LatencyBetweenBuckets(SloDefinition slo)
    {
        if (slo.Latency is not { } latency || Array.IndexOf(BucketBoundaries, latency.TotalSeconds) >= 0)
        {
            return (null, null);
        }

        double seconds = latency.TotalSeconds;
        int upper = Array.FindIndex(BucketBoundaries, b => b > seconds);
        return upper switch
        {
            < 0 => (BucketBoundaries[^1], double.PositiveInfinity),
            0 => (0, BucketBoundaries[0]),
            _ => (BucketBoundaries[upper - 1], BucketBoundaries[upper]),
        };
    }

    /// <summary>A duration as Prometheus writes one: <c>5m</c>, <c>1h30m</c>, <c>1d</c>.</summary>
    internal static string Duration(TimeSpan duration) => AlertRuleValidator.ShortDuration(duration);

    /// <summary>A number PromQL and Go templates read back exactly enough: <c>0.005</c>, <c>14.4</c>, <c>2000</c>.</summary>
    internal static string Number(double value) => Math.Round(value, 12).ToString("0.############", CultureInfo.InvariantCulture);

    /// <summary>
    /// A double-quoted literal with backslash, quote, line breaks and other control characters escaped: a PromQL string
    /// and a YAML double-quoted scalar read it back the same.
    /// </summary>
    internal static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    // Prometheus 3 writes whole-number le values with ".0" ("1.0"); 2.x keeps the exporter's "1": both are matched.
    private static string LeMatcher(double le) => le == Math.Floor(le)
        ? $"le=~\"{Number(le)}|{Number(le)}\\\\.0\""
        : $"le=\"{Number(le)}\"";

    // A series with no failures has no error series at all: zero it from the series of all calls so the ratio exists.
    private static string ZeroWhenAbsent(string expression, string all) => $"({expression} or 0 * {all})";

    private static string Selection(string? operation, string? component) => Join(
        operation is null ? string.Empty : $"operation={Quote(MetricLabels.Label(operation))}",
        component is null ? string.Empty : $"component={Quote(MetricLabels.Label(component))}");

    private static string Join(params string[] matchers) => string.Join(", ", matchers.Where(static m => m.Length > 0));

    private static string Braces(string matchers) => matchers.Length == 0 ? string.Empty : "{" + matchers + "}";
}
