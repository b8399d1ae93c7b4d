using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Export;
using Prometheus;

namespace Maran.Instrument;

/// <summary>
/// The toolkit's metrics in Prometheus form: a prometheus-net <see cref="CollectorRegistry"/> that reads the
/// operation recorders, the health monitor and the trackers each time it is scraped, so monitored calls never
/// touch prometheus-net. Served on <c>127.0.0.1:9090/metrics</c> by <see cref="AdvancedMonitoringSystem.Start"/>,
/// and mountable in an ASP.NET Core app with <c>app.MapMaranMetrics()</c> (Maran.Instrument.Dashboard).
/// </summary>
public sealed class PrometheusExporter
{
    private readonly object _gate = new();
    private readonly Func<string> _prefix;
    private readonly Func<int> _maxOperations;
    private readonly Func<ServiceIdentity>? _identity;
    private readonly Func<MonitoringSettings>? _settings;
    private PrometheusMetricSet? _metrics;

    internal PrometheusExporter(
        Func<string> prefix,
        ITelemetrySources sources,
        Func<int>? maxOperations = null,
        Func<ServiceIdentity>? identity = null,
        Func<MonitoringSettings>? settings = null)
    {
        _prefix = prefix;
        _maxOperations = maxOperations ?? (static () => PrometheusMetricSet.DefaultMaxOperations);
        _identity = identity;
        _settings = settings;
        Sources = sources;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Registry.AddBeforeCollectCallback(Collect);
    }

    /// <summary>
    /// The registry holding every metric (<c>operation_duration_seconds</c>, <c>operation_calls_total</c>,
    /// <c>errors_total</c>, ...). Serve it with any prometheus-net server, or export it with
    /// <see cref="CollectorRegistry.CollectAndExportAsTextAsync(Stream, CancellationToken)"/>.
    /// </summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The address of the standalone <c>/metrics</c> endpoint while it serves; null before start, after stop or when its port was taken.</summary>
    public Uri? EndpointUrl { get; internal set; }

    /// <summary>Why the standalone endpoint is not serving (for example, its port is in use); null when it serves or was never started.</summary>
    public string? EndpointProblem { get; internal set; }

    /// <summary>The name prefix the metrics were created with (empty by default, keeping the seed's names).</summary>
    public string Prefix => MetricSet().Prefix;

    internal ITelemetrySources Sources { get; }

    /// <summary>Creates the metrics with the configured prefix; later prefix changes are ignored.</summary>
    internal PrometheusMetricSet MetricSet()
    {
        lock (_gate)
        {
            return _metrics ??= new PrometheusMetricSet(Registry, _prefix(), _maxOperations());
        }
    }

    // Runs before each scrape: copies what the recorders and sources know into the prometheus-net metrics.
    private void Collect()
    {
        try
        {
            PrometheusMetricSet metrics = MetricSet();
            lock (_gate)
            {
                metrics.Update(Sources, _identity?.Invoke(), _settings?.Invoke());
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("prometheus collection", ex);
        }
    }
}
