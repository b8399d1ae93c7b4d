using Maran.Instrument.Health;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Connects the health monitor's latest sample to the alert metrics: CPU, memory and disk percent, the health
/// score, GPU utilisation and memory per device (label <c>gpu</c>), and the custom metrics it is fed, so rules over
/// them (the default <c>health_*</c> rules among them) see what the monitor last read. Before the first sample they
/// see no data.
/// </summary>
internal static class HealthMetricConnection
{
    internal static void Connect(AlertMetricRegistry metrics, SystemHealthMonitor health)
    {
        metrics.Connect(AlertMetrics.CpuPercent, () => health.Latest?.Snapshot[HealthMetrics.CpuPercent]);
        metrics.Connect(AlertMetrics.MemoryPercent, () => health.Latest?.Snapshot[HealthMetrics.MemoryPercent]);
        metrics.Connect(AlertMetrics.DiskPercent, () => health.Latest?.Snapshot[HealthMetrics.DiskPercent]);
        metrics.Connect(AlertMetrics.HealthScore, () => health.Latest?.Score);
        metrics.Connect(AlertMetrics.GpuPercent, () => PerGpu(health, HealthMetrics.GpuPercent));
        metrics.Connect(AlertMetrics.GpuMemoryPercent, () => PerGpu(health, HealthMetrics.GpuMemoryPercent));
        metrics.Custom.Fallback = name => health.Latest?.Snapshot[name] is { } value ? [new AlertSample(value)] : [];
    }

    private static IEnumerable<AlertSample> PerGpu(SystemHealthMonitor health, string key) =>
        health.Latest?.Snapshot.Readings
            .Where(r => r.Key == key && r.Subject is not null)
            .Select(r => new AlertSample(r.Value, new Dictionary<string, string>(StringComparer.Ordinal) { ["gpu"] = r.Subject! }))
        ?? [];
}
