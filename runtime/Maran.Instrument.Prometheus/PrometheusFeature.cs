using Maran.Instrument;
using Maran.Instrument.Features;

[assembly: MaranFeature(typeof(PrometheusFeature))]

namespace Maran.Instrument;

/// <summary>
/// Serves the toolkit's metrics in Prometheus form: the standalone <c>/metrics</c> endpoint on
/// <c>monitoring.metrics_host</c>:<c>monitoring.metrics_port</c> (127.0.0.1:9090) while the system runs, and the
/// registry <c>app.MapMaranMetrics()</c> mounts in an ASP.NET Core app. Registered by referencing the package.
/// </summary>
public sealed class PrometheusFeature : MaranFeature
{
    /// <inheritdoc />
    public override string Name => "prometheus";

    internal override void Contribute(FeatureContributions contributions)
    {
        contributions.AddComponent(static system => new PrometheusExporter(
            () => system.Options.Monitoring.MetricsPrefix,
            system.Telemetry,
            () => system.Options.Monitoring.MetricsMaxOperations,
            () => system.Identity,
            () => system.Options.Monitoring));
        contributions.AddComponent(static system => new MetricsEndpoint(
            system.Component<PrometheusExporter>()!, () => (system.Options.Monitoring.MetricsHost, system.Options.Monitoring.MetricsPort), () => system.ServerCertificate));
    }
}

/// <summary>The Prometheus metrics of a monitoring system.</summary>
public static class PrometheusMonitoringSystemExtensions
{
    /// <summary>The Prometheus metrics of <paramref name="system"/>, for code compiled with a C# version before 14 (net8.0's default).</summary>
    /// <param name="system">The monitoring system.</param>
    /// <exception cref="InvalidOperationException">The system was built before the Prometheus feature was registered.</exception>
    public static PrometheusExporter GetPrometheus(this AdvancedMonitoringSystem system) => system.Prometheus;

    extension(AdvancedMonitoringSystem system)
    {
        /// <summary>
        /// The Prometheus metrics: served on <c>127.0.0.1:9090/metrics</c> (<c>monitoring.metrics_port</c>) while the
        /// system runs, and mountable in an ASP.NET Core app with <c>app.MapMaranMetrics()</c>.
        /// </summary>
        /// <exception cref="InvalidOperationException">The system was built before the Prometheus feature was registered.</exception>
        public PrometheusExporter Prometheus => system.Component<PrometheusExporter>()
            ?? throw new InvalidOperationException(
                "This monitoring system was built without the Prometheus feature: build it after the feature is registered (referencing Maran.Instrument.Prometheus registers it before Main), or call MaranFeatures.Register(new PrometheusFeature()) first.");
    }
}
