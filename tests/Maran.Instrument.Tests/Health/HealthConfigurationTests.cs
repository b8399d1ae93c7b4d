using System.Collections;
using Maran.Instrument.Configuration;
using Maran.Instrument.Health;

namespace Maran.Instrument.Tests.Health;

public class HealthConfigurationTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Health", "Fixtures", name);

    [Fact]
    public void The_health_section_is_read_from_yaml()
    {
        HealthSettings health = MonitoringOptions.Load(Fixture("health.yaml"), new Hashtable()).Monitoring.Health;

        Assert.Equal((30.0, 60.0, 25.0), (health.Weights["cpu_percent"], health.Weights["memory_percent"], health.Weights["queue_depth"]));
        Assert.Equal(["/var/lib/models", "/tmp"], health.DiskPaths);
        Assert.Equal(("/opt/nvidia/libnvidia-ml.so.1", 60, 40.0, false), (health.NvmlLibrary, health.HistorySize, health.CriticalBelow, health.Gpu));
    }

    [Fact]
    public void MARAN_NVML_LIBRARY_sets_the_nvml_library()
    {
        var variables = new Hashtable { ["MARAN_NVML_LIBRARY"] = "/usr/local/nvidia/lib64/libnvidia-ml.so.1" };

        Assert.Equal("/usr/local/nvidia/lib64/libnvidia-ml.so.1", MonitoringOptions.Load(Fixture("health.yaml"), variables).Monitoring.Health.NvmlLibrary);
    }

    [Fact]
    public void A_bad_weight_and_history_size_are_rejected_with_their_keys_and_lines()
    {
        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(
            () => MonitoringOptions.Load(Fixture("health-invalid.yaml"), new Hashtable()));

        Assert.Equal(
            [
                "health-invalid.yaml line 5: monitoring.health.weights.cpu_percent = '150': a weight is the points a threshold can take off the score: between 0 and 100",
                "health-invalid.yaml line 6: monitoring.health.history_size = '0': the history must keep between 1 and 100000 samples",
            ],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void The_system_exposes_its_health_monitor_and_puts_the_latest_sample_on_the_dashboard()
    {
        var options = new MonitoringOptions();
        options.Monitoring.Health.Gpu = false;
        using var system = new AdvancedMonitoringSystem(options);
        Assert.Null(system.GetDashboardData().Health);

        system.HealthMonitor.CheckNow();

        Assert.NotNull(system.GetDashboardData().Health?.Snapshot[HealthMetrics.MemoryPercent]);
    }

    [Fact]
    public void The_system_refuses_to_start_with_an_invalid_threshold_set_on_its_monitor()
    {
        var options = new MonitoringOptions();
        options.Monitoring.Health.Gpu = false;
        using var system = new AdvancedMonitoringSystem(options);
        system.HealthMonitor.Thresholds["memory_percent"] = 0;

        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(system.Start);

        Assert.Contains("monitoring.health_thresholds.memory_percent = '0'", error.Message, StringComparison.Ordinal);
        Assert.False(system.IsRunning || system.HealthMonitor.IsMonitoring);
    }
}
