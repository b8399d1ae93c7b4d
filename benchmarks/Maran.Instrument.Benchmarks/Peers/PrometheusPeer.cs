using Prometheus;

namespace Maran.Instrument.Benchmarks.Peers;

/// <summary>
/// prometheus-net as its README recommends: one histogram of durations labelled by operation, a child bound to
/// each workload's label once, and <c>using (child.NewTimer())</c> around the call; an error counter beside it.
/// </summary>
public static class PrometheusPeer
{
    private static readonly Histogram s_duration;
    private static readonly Counter s_errors;

#pragma warning disable CA1810 // The default metrics must be switched off before the first metric exists.
    static PrometheusPeer()
    {
        // The default registry would otherwise listen to every .NET Meter, the OpenTelemetry peer's included.
        Metrics.SuppressDefaultMetrics();
        s_duration = Metrics.CreateHistogram(
            "peer_operation_duration_seconds",
            "Duration of benchmark operations.",
            new HistogramConfiguration { LabelNames = ["operation"] });
        s_errors = Metrics.CreateCounter(
            "peer_operation_errors_total",
            "Failed benchmark operations.",
            new CounterConfiguration { LabelNames = ["operation"] });
    }
#pragma warning restore CA1810

    /// <summary>The duration histogram's child for <paramref name="operation"/>, bound once and kept.</summary>
    public static Histogram.Child Duration(string operation) => s_duration.WithLabels(operation);

    /// <summary>The error counter's child for <paramref name="operation"/>, bound once and kept.</summary>
    public static Counter.Child Errors(string operation) => s_errors.WithLabels(operation);

    /// <summary>Observations recorded for <paramref name="operation"/> so far.</summary>
    public static long Observations(string operation) => s_duration.WithLabels(operation).Count;
}
