namespace Maran.Instrument.Alerts;

/// <summary>
/// Which source answers for each metric name: the recorders for operation metrics, a connected component for
/// health and cost metrics (no data until one is connected), and the program's own values for custom metrics.
/// </summary>
internal sealed class AlertMetricRegistry
{
    private readonly ProfilerMetricSource _profiler = new();

    /// <summary>Values the program feeds.</summary>
    public CustomMetricSource Custom { get; } = new();

    /// <summary>Health and cost metrics, read through delegates other components connect.</summary>
    public ConnectedMetricSource Connected { get; } = new();

    /// <summary>The source that answers for <paramref name="metric"/>.</summary>
    public IAlertMetricSource SourceFor(string metric) =>
        AlertMetricInfo.BuiltIn.TryGetValue(metric, out AlertMetricInfo? info)
            ? info.Kind == AlertMetricKind.Gauge ? Connected : _profiler
            : Custom;

    /// <summary>
    /// Makes <paramref name="read"/> the source of the built-in gauge <paramref name="metric"/> (for example
    /// <c>cpu_percent</c> from the health monitor). Each call to <paramref name="read"/> returns the current values.
    /// </summary>
    public void Connect(string metric, Func<IEnumerable<AlertSample>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!AlertMetricInfo.BuiltIn.TryGetValue(metric, out AlertMetricInfo? info) || info.Kind != AlertMetricKind.Gauge)
        {
            throw new ArgumentException($"'{metric}' is not a built-in gauge; gauges are " +
                string.Join(", ", AlertMetricInfo.BuiltIn.Values.Where(m => m.Kind == AlertMetricKind.Gauge).Select(m => m.Name)), nameof(metric));
        }

        Connected.Connect(metric, read);
    }

    /// <summary>Makes <paramref name="read"/> the source of the single-valued gauge <paramref name="metric"/>; a null reading is no data.</summary>
    public void Connect(string metric, Func<double?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Connect(metric, () => read() is { } value ? [new AlertSample(value)] : []);
    }
}
