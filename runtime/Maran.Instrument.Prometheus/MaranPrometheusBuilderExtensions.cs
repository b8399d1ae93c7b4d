using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Serves the host's metrics in Prometheus form.</summary>
public static class MaranPrometheusBuilderExtensions
{
    /// <summary>
    /// Builds the host's system with the Prometheus metrics (<see cref="PrometheusFeature"/>): the standalone
    /// <c>/metrics</c> endpoint on <c>monitoring.metrics_host</c>:<c>monitoring.metrics_port</c> (127.0.0.1:9090) while
    /// the host runs, and the registry <c>app.MapMaranMetrics()</c> mounts in the app.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddPrometheus(this IMaranBuilder builder) => builder.AddPrometheus(configure: null);

    /// <summary>
    /// Adds the Prometheus metrics as <see cref="AddPrometheus(IMaranBuilder)"/> does, then lets
    /// <paramref name="configure"/> change the <c>monitoring:</c> settings (<c>metrics_host</c>, <c>metrics_port</c>,
    /// <c>metrics_prefix</c>, <c>metrics_max_operations</c>) after the configuration is read.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="configure">Changes the <c>monitoring:</c> settings; null changes nothing.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddPrometheus(this IMaranBuilder builder, Action<MonitoringSettings>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFeature(new PrometheusFeature());
        return configure is null ? builder : builder.ConfigureOptions(options => configure(options.Monitoring));
    }
}
