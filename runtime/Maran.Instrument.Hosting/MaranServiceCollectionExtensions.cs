using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Maran.Instrument in an application's services.</summary>
public static class MaranServiceCollectionExtensions
{
    /// <summary>The configuration section the options are read from: <c>Maran:monitoring:metrics_port</c> and so on.</summary>
    public const string SectionName = "Maran";

    /// <summary>
    /// Adds the monitoring system, configured from the <c>Maran</c> section of the application's configuration (the
    /// keys of <c>monitoring_config.yaml</c>, checked the same way), started and stopped with the host, logging its own
    /// diagnostics to <see cref="Logging.ILogger"/>. The system resolves from the services and is
    /// <see cref="AdvancedMonitoringSystem.Default"/>, the one monitored calls report to.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <returns>A builder that feature packages extend.</returns>
    public static IMaranBuilder AddMaranMonitoring(this IServiceCollection services) => services.AddMaranMonitoring(configure: null);

    /// <summary>
    /// Adds the monitoring system as <see cref="AddMaranMonitoring(IServiceCollection)"/> does, then lets
    /// <paramref name="configure"/> change the options read from configuration; values set there are checked at start too.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes the options after the <c>Maran</c> section is bound; null changes nothing.</param>
    /// <returns>A builder that feature packages extend.</returns>
    public static IMaranBuilder AddMaranMonitoring(this IServiceCollection services, Action<MonitoringOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configure is not null)
        {
            services.AddSingleton(new MonitoringOptionsConfiguration(configure));
        }

        services.TryAddSingleton(static provider => MaranMonitoringFactory.Create(provider));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MaranHostedService>());
        return new MaranBuilder(services);
    }
}
