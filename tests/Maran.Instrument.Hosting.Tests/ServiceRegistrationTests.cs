using Maran.Instrument.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Maran.Instrument.Hosting.Tests;

/// <summary>AddMaranMonitoring registers one system, bound from the <c>Maran</c> section, that is the process default and runs with the host.</summary>
[Collection(DefaultSystemCollection.Name)]
public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task The_system_resolved_from_the_services_is_the_default_and_runs_while_the_host_runs()
    {
        IHost host = Host(new Dictionary<string, string?>
        {
            ["Maran:monitoring:metrics_port"] = "0",
            ["Maran:monitoring:health_check_interval"] = "45",
            ["Maran:storage:enabled"] = "false",
            ["Maran:monitoring:logs_dir"] = Path.Combine(Path.GetTempPath(), "maran-hosting-tests-logs"),
        }, options => options.Alerts.Enabled = false);

        var system = host.Services.GetRequiredService<AdvancedMonitoringSystem>();
        await host.StartAsync();
        bool runningWithHost = system.IsRunning;
        AdvancedMonitoringSystem resolvedAgain = host.Services.GetRequiredService<AdvancedMonitoringSystem>();
        await host.StopAsync();
        host.Dispose();

        Assert.Same(system, AdvancedMonitoringSystem.Default);
        Assert.Same(system, resolvedAgain);
        Assert.Equal(45, system.Options.Monitoring.HealthCheckInterval);
        Assert.False(system.Options.Alerts.Enabled);
        Assert.False(system.StopOnProcessExit);
        Assert.True(runningWithHost);
        Assert.False(system.IsRunning);
    }

    [Fact]
    public async Task A_bad_key_fails_the_host_start_with_the_key_and_the_value()
    {
        using IHost host = Host(new Dictionary<string, string?> { ["Maran:monitoring:metrics_port"] = "0", ["Maran:monitoring:sampling:rate"] = "often" });

        var failure = await Assert.ThrowsAsync<MonitoringConfigurationException>(() => host.StartAsync());

        ConfigurationError error = Assert.Single(failure.Errors);
        Assert.Equal(("monitoring.sampling.rate", "often"), (error.Key, error.Value));
        Assert.False(host.Services.GetRequiredService<AdvancedMonitoringSystem>().IsRunning);
    }

    [Fact]
    public void A_started_default_cannot_be_replaced()
    {
        var started = new AdvancedMonitoringSystem(new MonitoringOptions { Monitoring = { MetricsPort = 0, LogsDirectory = Path.Combine(Path.GetTempPath(), "maran-hosting-tests-logs") }, Storage = { Enabled = false }, Alerts = { Enabled = false } }) { StopOnProcessExit = false };
        AdvancedMonitoringSystem.SetDefault(started);
        started.Start();
        try
        {
            var other = new AdvancedMonitoringSystem(new MonitoringOptions());
            var failure = Assert.Throws<InvalidOperationException>(() => AdvancedMonitoringSystem.SetDefault(other));
            Assert.Contains("already started", failure.Message, StringComparison.Ordinal);
            Assert.Same(started, AdvancedMonitoringSystem.Default);
        }
        finally
        {
            started.Dispose();
        }
    }

    private static IHost Host(Dictionary<string, string?> settings, Action<MonitoringOptions>? configure = null)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMaranMonitoring(configure);
        return builder.Build();
    }
}

/// <summary>Tests that set <see cref="AdvancedMonitoringSystem.Default"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultSystemCollection
{
    public const string Name = "Default system";
}
