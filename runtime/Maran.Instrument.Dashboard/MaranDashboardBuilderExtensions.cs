using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Dashboard;
using Maran.Instrument.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Serves the live dashboard on its own port while the host runs.</summary>
public static class MaranDashboardBuilderExtensions
{
    /// <summary>
    /// Runs the live dashboard while the host runs, on <c>dashboard.host</c>:<c>monitoring.dashboard_port</c>
    /// (127.0.0.1:8080; off loopback it needs <c>dashboard.token</c>), with its <c>/metrics</c>. It builds the system
    /// with the Prometheus feature it draws its metrics from (<see cref="PrometheusFeature"/>), starts after the system
    /// and stops before it. The <see cref="MonitoringDashboard"/> resolves from the services (its
    /// <see cref="MonitoringDashboard.Url"/> once the host has started). To serve it inside the app's own pipeline
    /// instead, use <c>app.MapMaranDashboard()</c>.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddDashboard(this IMaranBuilder builder) => builder.AddDashboard(configure: null);

    /// <summary>
    /// Runs the dashboard as <see cref="AddDashboard(IMaranBuilder)"/> does, then lets <paramref name="configure"/>
    /// change the options after the configuration is read: the dashboard's settings span <c>monitoring.dashboard_port</c>
    /// and the <c>dashboard:</c> section.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="configure">Changes the options; null changes nothing.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddDashboard(this IMaranBuilder builder, Action<MonitoringOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFeature(new PrometheusFeature());
        builder.Services.TryAddSingleton(static provider => new MonitoringDashboard(provider.GetRequiredService<AdvancedMonitoringSystem>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DashboardHostedService>());
        return configure is null ? builder : builder.ConfigureOptions(configure);
    }
}
