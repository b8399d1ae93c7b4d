using Maran.Instrument.Configuration;
using Maran.Instrument.Health;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Health;

[Collection(NvmlStandIn.Name)]
public class NvmlTests
{
    private static SystemHealthMonitor Monitor(string? library, FakeTimeProvider? time = null)
    {
        var settings = new MonitoringSettings { DataDirectory = AppContext.BaseDirectory };
        settings.Health.NvmlLibrary = library;
        return new SystemHealthMonitor(settings, time ?? new FakeTimeProvider(), FixtureRoot.Source("no-cgroup"));
    }

    private static SystemHealthMonitor StandIn(int scenario, FakeTimeProvider? time = null)
    {
        FakeNvml.SetScenario(scenario);
        return Monitor(FakeNvml.LibraryPath, time);
    }

    [Fact]
    public void Both_devices_are_named_with_their_uuids()
    {
        using SystemHealthMonitor monitor = StandIn(FakeNvml.TwoDevices);

        HealthSnapshot snapshot = monitor.CheckNow().Snapshot;

        Assert.Equal($"2 NVIDIA GPUs (NVML from {FakeNvml.LibraryPath})", snapshot.GpuStatus);
        Assert.Equal(
            [(0, "NVIDIA H100 80GB HBM3", "GPU-11111111-2222-3333-4444-555555555555"), (1, "NVIDIA A10G", "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")],
            snapshot.Gpus.Select(g => (g.Index, g.Name, g.Uuid)));
    }

    [Fact]
    public void Every_reading_of_a_healthy_device_comes_through_with_its_unit()
    {
        using SystemHealthMonitor monitor = StandIn(FakeNvml.TwoDevices);

        HealthSnapshot snapshot = monitor.CheckNow().Snapshot;

        Assert.Equal(
            [
                ("gpu_percent", 87.0, "percent"),
                ("gpu_memory_utilization_percent", 41.0, "percent"),
                ("gpu_memory_used_bytes", 42949672960.0, "bytes"),
                ("gpu_memory_total_bytes", 85899345920.0, "bytes"),
                ("gpu_memory_percent", 50.0, "percent"),
                ("gpu_temperature_celsius", 64.0, "celsius"),
                ("gpu_power_watts", 312.5, "watts"),
                ("gpu_power_limit_watts", 700.0, "watts"),
                ("gpu_power_percent", 100 * 312.5 / 700, "percent"),
            ],
            snapshot.Readings.Where(r => r.Subject == "GPU 0").Select(r => (r.Key, r.Value, r.Unit)));
        Assert.Empty(snapshot.Gpus[0].Problems);
    }

    [Fact]
    public void A_lost_gpu_and_an_unsupported_reading_are_said_in_words_and_the_rest_is_read()
    {
        using SystemHealthMonitor monitor = StandIn(FakeNvml.TwoDevices);

        HealthSnapshot snapshot = monitor.CheckNow().Snapshot;

        Assert.Equal(
            ["utilization: the GPU is lost: it fell off the bus or is otherwise inaccessible (NVML_ERROR_GPU_IS_LOST)", "power draw: not supported by this device (NVML_ERROR_NOT_SUPPORTED)"],
            snapshot.Gpus[1].Problems);
        Assert.Null(snapshot[HealthMetrics.GpuPercent, "GPU 1"]);
        Assert.Null(snapshot[HealthMetrics.GpuPowerWatts, "GPU 1"]);
        Assert.Equal(1073741824, snapshot[HealthMetrics.GpuMemoryUsedBytes, "GPU 1"]);
        Assert.Equal(38, snapshot[HealthMetrics.GpuTemperatureCelsius, "GPU 1"]);
        Assert.Equal(300, snapshot[HealthMetrics.GpuPowerLimitWatts, "GPU 1"]);
    }

    [Fact]
    public void A_gpu_threshold_is_checked_per_device()
    {
        using SystemHealthMonitor monitor = StandIn(FakeNvml.TwoDevices);
        monitor.Thresholds[HealthMetrics.GpuMemoryPercent] = 45;

        HealthStatus status = monitor.CheckNow();

        ThresholdViolation violation = Assert.Single(status.Violations);
        Assert.Equal(("gpu_memory_percent", "GPU 0", 50.0), (violation.Key, violation.Subject, violation.Value));
    }

    [Fact]
    public void Monitoring_initialises_nvml_once_and_shuts_it_down_when_it_stops()
    {
        var time = new FakeTimeProvider();
        using SystemHealthMonitor monitor = StandIn(FakeNvml.TwoDevices, time);

        monitor.StartMonitoring();
        time.Advance(TimeSpan.FromSeconds(90));
        monitor.StopMonitoring();

        Assert.Equal(3, monitor.GetHistory().Count);
        Assert.Equal((1, 1), (FakeNvml.InitCalls, FakeNvml.ShutdownCalls));
    }

    [Fact]
    public void A_driver_that_is_not_loaded_is_reported_once_and_not_retried_every_sample()
    {
        var time = new FakeTimeProvider();
        using SystemHealthMonitor monitor = StandIn(FakeNvml.DriverNotLoaded, time);

        monitor.StartMonitoring();
        time.Advance(TimeSpan.FromSeconds(90));
        monitor.StopMonitoring();

        Assert.All(monitor.GetHistory(), s => Assert.StartsWith("no NVIDIA driver: ", s.Snapshot.GpuStatus, StringComparison.Ordinal));
        Assert.Contains("the NVIDIA driver is not loaded", monitor.GetHistory()[0].Snapshot.GpuStatus, StringComparison.Ordinal);
        Assert.Equal((1, 0), (FakeNvml.InitCalls, FakeNvml.ShutdownCalls));
    }

    [Fact]
    public void No_device_is_said_in_words()
    {
        using SystemHealthMonitor monitor = StandIn(FakeNvml.NoDevice);

        HealthSnapshot snapshot = monitor.CheckNow().Snapshot;

        Assert.Equal("no NVIDIA GPU: NVML found no device", snapshot.GpuStatus);
        Assert.Empty(snapshot.Gpus);
    }

    [Fact]
    public void A_missing_library_reports_no_nvidia_driver_without_throwing()
    {
        string missing = Path.Combine(AppContext.BaseDirectory, "no-such-dir", "libnvidia-ml.so.1");
        var time = new FakeTimeProvider();
        using SystemHealthMonitor monitor = Monitor(missing, time);

        monitor.StartMonitoring();
        time.Advance(TimeSpan.FromSeconds(60));
        monitor.StopMonitoring();

        Assert.Equal(2, monitor.GetHistory().Count);
        Assert.All(monitor.GetHistory(), s =>
        {
            Assert.StartsWith($"no NVIDIA driver: {missing} could not be loaded", s.Snapshot.GpuStatus, StringComparison.Ordinal);
            Assert.Empty(s.Snapshot.Gpus);
        });
    }

    [Fact]
    public void Gpu_utilisation_during_an_operation_comes_from_the_samples_in_its_window()
    {
        var time = new FakeTimeProvider();
        using SystemHealthMonitor monitor = StandIn(FakeNvml.TwoDevices, time);
        long before = time.GetTimestamp();
        monitor.CheckNow();
        time.Advance(TimeSpan.FromMinutes(5));
        long later = time.GetTimestamp();
        long second = time.TimestampFrequency;

        (double Percent, int Samples)? during = monitor.GpuUtilizationDuring([new RecentCall(before, second / 2, OperationStatus.Success)]);
        (double Percent, int Samples)? after = monitor.GpuUtilizationDuring([new RecentCall(later, second, OperationStatus.Success)]);

        // GPU 0 reads 87%; GPU 1 is lost and gives no utilisation.
        Assert.Equal((87.0, 1), during);
        Assert.Null(after);
    }

    [Fact]
    public void The_profiler_summary_shows_gpu_utilisation_during_an_operation()
    {
        FakeNvml.SetScenario(FakeNvml.TwoDevices);
        var options = new MonitoringOptions();
        options.Monitoring.Health.NvmlLibrary = FakeNvml.LibraryPath;
        using var system = new AdvancedMonitoringSystem(options);

        using (system.Profiler.Operation("generate-on-gpu", "health-tests"))
        {
            system.HealthMonitor.CheckNow();
        }

        using (system.Profiler.Operation("before-any-sample-window", "health-tests-idle"))
        {
        }

        OperationSummary summary = system.Profiler.GetPerformanceSummary()["generate-on-gpu", "health-tests"]!;
        Assert.Equal((87.0, 1), (summary.GpuUtilizationPercent, summary.GpuUtilizationSamples));
        Assert.Null(system.Profiler.GetOperationSummary("before-any-sample-window", "health-tests-idle")!.GpuUtilizationPercent);
    }
}
