using System.Diagnostics;
using Maran.Instrument.Configuration;
using Maran.Instrument.Health;
using Maran.Instrument.Interop;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Health;

public class SystemHealthMonitorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static MonitoringSettings Settings(string dataDirectory, int historySize = 240)
    {
        var settings = new MonitoringSettings { DataDirectory = dataDirectory };
        settings.Health.Gpu = false;
        settings.Health.HistorySize = historySize;
        return settings;
    }

    private static double Value(HealthStatus status, string key) =>
        status.Snapshot[key] ?? throw new Xunit.Sdk.XunitException($"no {key} reading; unavailable: {string.Join("; ", status.Snapshot.Unavailable)}");

    private static HealthStatus SampleOverOneInterval(string fixture)
    {
        using var root = new FixtureRoot(fixture);
        var time = new FakeTimeProvider();
        using var monitor = new SystemHealthMonitor(Settings(root.Path), time, root.Path);
        monitor.StartMonitoring();
        root.MoveToLater();
        time.Advance(Interval);
        return Assert.Single(monitor.GetHistory());
    }

    [Fact]
    public void Inside_a_v2_container_cpu_and_memory_are_measured_against_its_quota_and_limit()
    {
        HealthStatus status = SampleOverOneInterval("cgroup-v2-limited");

        Assert.Equal(1.5, Value(status, HealthMetrics.CpuLimitCores));
        Assert.Equal(37.5, Value(status, HealthMetrics.SystemCpuPercent), 6);
        Assert.Equal(60.0, Value(status, HealthMetrics.ContainerCpuPercent), 6);
        Assert.Equal(60.0, Value(status, HealthMetrics.CpuPercent), 6);
        Assert.Equal(25.0, Value(status, HealthMetrics.SystemMemoryPercent), 6);
        Assert.Equal(536870912, Value(status, HealthMetrics.ContainerMemoryLimitBytes));
        Assert.Equal(62.5, Value(status, HealthMetrics.MemoryPercent), 6);
        Assert.Equal(536870912, Value(status, HealthMetrics.MemoryTotalBytes));
    }

    [Fact]
    public void The_process_cpu_is_a_share_of_the_cores_the_quota_allows()
    {
        HealthStatus status = SampleOverOneInterval("cgroup-v2-limited");

        // 1,200 clock ticks of user and system time over 30 s, on 1.5 cores.
        double seconds = 1200.0 / LibC.ClockTicksPerSecond();
        Assert.Equal(100 * seconds / (30 * 1.5), Value(status, HealthMetrics.ProcessCpuPercent), 6);
        Assert.Equal(25600.0 * Environment.SystemPageSize, Value(status, HealthMetrics.ProcessWorkingSetBytes));
    }

    [Fact]
    public void Inside_a_v1_container_cpu_and_memory_are_measured_against_its_quota_and_limit()
    {
        HealthStatus status = SampleOverOneInterval("cgroup-v1-limited");

        Assert.Equal(75.0, Value(status, HealthMetrics.CpuPercent), 6);
        Assert.Equal(50.0, Value(status, HealthMetrics.MemoryPercent), 6);
        Assert.Equal(1073741824, Value(status, HealthMetrics.ContainerMemoryLimitBytes));
    }

    [Theory]
    [InlineData("cgroup-v2-unlimited")]
    [InlineData("cgroup-v1-unlimited")]
    [InlineData("no-cgroup")]
    public void Without_limits_cpu_and_memory_are_the_whole_machines(string fixture)
    {
        HealthStatus status = SampleOverOneInterval(fixture);

        Assert.Equal(37.5, Value(status, HealthMetrics.CpuPercent), 6);
        Assert.Equal(25.0, Value(status, HealthMetrics.MemoryPercent), 6);
        Assert.Equal(4, Value(status, HealthMetrics.CpuLimitCores));
        Assert.Null(status.Snapshot[HealthMetrics.ContainerMemoryLimitBytes]);
        Assert.Null(status.Snapshot[HealthMetrics.ContainerCpuPercent]);
    }

    [Fact]
    public void Runtime_readings_come_with_their_units_and_the_sample_time()
    {
        HealthStatus status = SampleOverOneInterval("no-cgroup");

        foreach (string key in new[] { HealthMetrics.GcHeapBytes, HealthMetrics.GcPauseSecondsTotal, HealthMetrics.GcPausePercent, HealthMetrics.AllocationRateBytesPerSecond })
        {
            HealthReading reading = status.Snapshot.Readings.Single(r => r.Key == key);
            Assert.Equal(status.Timestamp, reading.Timestamp);
            Assert.NotEmpty(reading.Unit);
        }

        Assert.Equal("bytes_per_second", status.Snapshot.Readings.Single(r => r.Key == HealthMetrics.AllocationRateBytesPerSecond).Unit);
    }

    [Fact]
    public void The_first_sample_says_rates_need_a_baseline()
    {
        using var root = new FixtureRoot("no-cgroup");
        using var monitor = new SystemHealthMonitor(Settings(root.Path), new FakeTimeProvider(), root.Path);

        HealthStatus status = monitor.CheckNow();

        Assert.Null(status.Snapshot[HealthMetrics.CpuPercent]);
        Assert.Contains(status.Snapshot.Unavailable, u => u.Contains("baseline", StringComparison.Ordinal));
        Assert.Contains(status.Unchecked, u => u.StartsWith("cpu_percent", StringComparison.Ordinal));
    }

    [Fact]
    public void The_data_directory_and_configured_paths_are_watched_for_disk_space()
    {
        using var root = new FixtureRoot("no-cgroup");
        MonitoringSettings settings = Settings(Path.Combine(root.Path, "data"));
        settings.Health.DiskPaths.Add("/dev/shm");
        using var monitor = new SystemHealthMonitor(settings, new FakeTimeProvider(), root.Path);

        HealthSnapshot snapshot = monitor.CheckNow().Snapshot;

        Assert.NotNull(snapshot[HealthMetrics.DiskPercent, Path.Combine(root.Path, "data")]);
        Assert.NotNull(snapshot[HealthMetrics.DiskPercent, "/dev/shm"]);
    }

    [Fact]
    public void A_sample_is_taken_each_interval_and_none_before()
    {
        using var root = new FixtureRoot("no-cgroup");
        var time = new FakeTimeProvider();
        using var monitor = new SystemHealthMonitor(Settings(root.Path), time, root.Path);
        monitor.StartMonitoring();

        time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Empty(monitor.GetHistory());
        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(Interval);

        Assert.Equal(2, monitor.GetHistory().Count);
    }

    [Fact]
    public void No_sample_is_taken_after_monitoring_stops()
    {
        using var root = new FixtureRoot("no-cgroup");
        var time = new FakeTimeProvider();
        using var monitor = new SystemHealthMonitor(Settings(root.Path), time, root.Path);
        monitor.StartMonitoring();
        time.Advance(Interval);

        monitor.StopMonitoring();
        time.Advance(Interval * 10);

        Assert.Single(monitor.GetHistory());
        Assert.False(monitor.IsMonitoring);
    }

    [Fact]
    public void Starting_and_stopping_leaves_no_thread_behind()
    {
        using var root = new FixtureRoot("no-cgroup");
        using var monitor = new SystemHealthMonitor(Settings(root.Path), TimeProvider.System, root.Path);
        monitor.StartMonitoring();
        monitor.StopMonitoring();
        int before = Process.GetCurrentProcess().Threads.Count;

        for (int i = 0; i < 50; i++)
        {
            monitor.StartMonitoring();
            monitor.StopMonitoring();
        }

        // A thread per start would add 50; the thread pool may add a few of its own meanwhile.
        Assert.InRange(Process.GetCurrentProcess().Threads.Count, 0, before + 10);
    }

    [Fact]
    public void The_history_keeps_the_latest_samples_oldest_first()
    {
        using var root = new FixtureRoot("no-cgroup");
        var time = new FakeTimeProvider();
        using var monitor = new SystemHealthMonitor(Settings(root.Path, historySize: 3), time, root.Path);
        var taken = new List<DateTimeOffset>();
        for (int i = 0; i < 5; i++)
        {
            taken.Add(monitor.CheckNow().Timestamp);
            time.Advance(Interval);
        }

        Assert.Equal(taken.Skip(2), monitor.GetHistory().Select(s => s.Timestamp));
    }

    [Fact]
    public void A_custom_metric_over_its_custom_threshold_is_a_violation()
    {
        using var root = new FixtureRoot("no-cgroup");
        using var monitor = new SystemHealthMonitor(Settings(root.Path), new FakeTimeProvider(), root.Path);
        monitor.Thresholds["custom_metric"] = 100.0;

        monitor.SetCustomMetric("custom_metric", 123, "requests");
        HealthStatus status = monitor.GetHealthStatus();

        ThresholdViolation violation = Assert.Single(status.Violations);
        Assert.Equal(("custom_metric", 123.0, 100.0, "requests"), (violation.Key, violation.Value, violation.Threshold, violation.Unit));
        Assert.Equal(HealthState.Degraded, status.State);
    }

    [Fact]
    public void A_new_custom_value_is_scored_without_waiting_for_the_next_sample()
    {
        using var root = new FixtureRoot("no-cgroup");
        using var monitor = new SystemHealthMonitor(Settings(root.Path), new FakeTimeProvider(), root.Path);
        monitor.Thresholds["custom_metric"] = 100.0;
        monitor.SetCustomMetric("custom_metric", 123);
        monitor.CheckNow();

        monitor.SetCustomMetric("custom_metric", 50);

        Assert.Equal(HealthState.Healthy, monitor.GetHealthStatus().State);
        Assert.Single(monitor.GetHistory()[0].Violations);
    }

    [Fact]
    public void A_custom_metric_may_not_take_a_built_in_name()
    {
        using var monitor = new SystemHealthMonitor(Settings("."), new FakeTimeProvider());

        Assert.Throws<ArgumentException>(() => monitor.SetCustomMetric(HealthMetrics.CpuPercent, 1));
    }

    [Fact]
    public void Thresholds_start_from_the_configuration()
    {
        MonitoringSettings settings = Settings(".");
        settings.HealthThresholds["queue_depth"] = 7;
        using var monitor = new SystemHealthMonitor(settings, new FakeTimeProvider());

        Assert.Equal((80.0, 7.0), (monitor.Thresholds["cpu_percent"], monitor.Thresholds["queue_depth"]));
    }

    [Fact]
    public void An_invalid_threshold_is_rejected_at_start_with_a_message_naming_the_key()
    {
        using var monitor = new SystemHealthMonitor(Settings("."), new FakeTimeProvider());
        monitor.Thresholds["gpu_memory_percent"] = 150;

        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(monitor.StartMonitoring);

        Assert.Equal("code: monitoring.health_thresholds.gpu_memory_percent = '150': a percentage threshold must be greater than 0 and at most 100", error.Errors.Single().ToString());
        Assert.False(monitor.IsMonitoring);
    }

    [Fact]
    public void A_threshold_that_is_not_a_number_is_rejected_at_start()
    {
        using var monitor = new SystemHealthMonitor(Settings("."), new FakeTimeProvider());
        monitor.Thresholds["queue_depth"] = double.NaN;

        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(monitor.StartMonitoring);

        Assert.Contains("monitoring.health_thresholds.queue_depth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_come_from_the_health_section()
    {
        using var root = new FixtureRoot("no-cgroup");
        MonitoringSettings settings = Settings(root.Path);
        settings.Health.Weights["custom_metric"] = 100;
        using var monitor = new SystemHealthMonitor(settings, new FakeTimeProvider(), root.Path);
        monitor.Thresholds["custom_metric"] = 10;
        monitor.SetCustomMetric("custom_metric", 20);

        HealthStatus status = monitor.GetHealthStatus();

        Assert.Equal((0.0, HealthState.Critical), (status.Score, status.State));
    }

    [Fact]
    public void The_gpu_status_says_when_gpu_readings_are_off()
    {
        using var root = new FixtureRoot("no-cgroup");
        using var monitor = new SystemHealthMonitor(Settings(root.Path), new FakeTimeProvider(), root.Path);

        Assert.Contains("turned off", monitor.CheckNow().Snapshot.GpuStatus, StringComparison.Ordinal);
    }
}
