using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Maran.Instrument.Hosting;

/// <summary>A change to the options that <c>AddMaranMonitoring(configure)</c> registered.</summary>
internal sealed class MonitoringOptionsConfiguration(Action<MonitoringOptions> configure)
{
    public Action<MonitoringOptions> Configure { get; } = configure;
}

/// <summary>Builds the system the services hand out: options bound from the <c>Maran</c> section, then changed in code; made the process default.</summary>
internal static class MaranMonitoringFactory
{
    public static AdvancedMonitoringSystem Create(IServiceProvider provider)
    {
        IConfiguration configuration = provider.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build();
        MonitoringOptions options = MonitoringOptions.LoadCollectingErrors(
            configuration, MaranServiceCollectionExtensions.SectionName, out IReadOnlyList<ConfigurationError> errors);
        foreach (MonitoringOptionsConfiguration change in provider.GetServices<MonitoringOptionsConfiguration>())
        {
            change.Configure(options);
        }

        // The host owns the process's signals: its console lifetime stops the hosted service, which stops the system.
        var system = new AdvancedMonitoringSystem(options, errors) { StopOnProcessExit = false };
        AdvancedMonitoringSystem.SetDefault(system);
        return system;
    }
}
