using System.Collections;
using Maran.Instrument.Configuration;
using Maran.Instrument.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Maran.Instrument.Hosting;

/// <summary>A change to the options that <c>AddMaranMonitoring(configure)</c> registered.</summary>
internal sealed class MonitoringOptionsConfiguration(Action<MonitoringOptions> configure)
{
    public Action<MonitoringOptions> Configure { get; } = configure;
}

/// <summary>
/// Builds the system the services hand out: options read from the sources of <see cref="HostConfigurationSources"/>,
/// then changed in code; features registered in the process and those the builder added; made the process default.
/// </summary>
internal static class MaranMonitoringFactory
{
    public static AdvancedMonitoringSystem Create(IServiceProvider provider)
    {
        IConfiguration configuration = provider.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build();
        string contentRoot = provider.GetService<IHostEnvironment>()?.ContentRootPath is { Length: > 0 } root ? root : Directory.GetCurrentDirectory();
        IDictionary environment = provider.GetService<MaranEnvironment>()?.Variables ?? Environment.GetEnvironmentVariables();
        IConfigurationRoot sources = HostConfigurationSources.Build(
            configuration, MaranServiceCollectionExtensions.SectionName, contentRoot, environment, out IReadOnlyList<ConfigurationError> fileErrors);
        MonitoringOptions options = MonitoringOptions.LoadCollectingErrors(sources, out IReadOnlyList<ConfigurationError> errors);
        foreach (MonitoringOptionsConfiguration change in provider.GetServices<MonitoringOptionsConfiguration>())
        {
            change.Configure(options);
        }

        var features = new List<MaranFeature>(MaranFeatures.Registered);
        foreach (MaranFeature added in provider.GetServices<MaranFeature>())
        {
            if (!features.Exists(f => f.GetType() == added.GetType()))
            {
                features.Add(added);
            }
        }

        // The host owns the process's signals: its console lifetime stops the hosted service, which stops the system.
        var system = new AdvancedMonitoringSystem(options, [.. fileErrors, .. errors], features) { StopOnProcessExit = false };
        AdvancedMonitoringSystem.SetDefault(system);
        return system;
    }
}
