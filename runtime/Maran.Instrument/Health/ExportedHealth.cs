namespace Maran.Instrument.Health;

/// <summary>
/// What the health monitor knows at one moment, as the exporters publish it (see <see cref="From"/>). Every figure is optional: a
/// missing one is left out of <c>/metrics</c> rather than shown as zero.
/// </summary>
internal sealed record ExportedHealth
{
    /// <summary>Overall health, 0 (failing) to 100 (healthy): <c>system_health_score</c>.</summary>
    public double? HealthScore { get; init; }

    /// <summary>Machine CPU use, in percent: <c>cpu_usage_percent</c>.</summary>
    public double? CpuPercent { get; init; }

    /// <summary>Machine memory in use, in bytes: <c>memory_usage_bytes{scope="system"}</c>.</summary>
    public long? MemoryUsedBytes { get; init; }

    /// <summary>One entry per GPU; empty when there is none ("no device").</summary>
    public IReadOnlyList<ExportedGpu> Gpus { get; init; } = [];

    /// <summary>The figures of the health monitor's latest status; null before its first sample.</summary>
    internal static ExportedHealth? From(HealthStatus? status)
    {
        if (status is null)
        {
            return null;
        }

        HealthSnapshot snapshot = status.Snapshot;
        return new ExportedHealth
        {
            HealthScore = status.Score,
            CpuPercent = snapshot[HealthMetrics.CpuPercent],
            MemoryUsedBytes = snapshot[HealthMetrics.MemoryUsedBytes] is { } used ? (long)used : null,
            Gpus = [.. snapshot.Gpus.Select(gpu => new ExportedGpu(
                gpu.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                snapshot[HealthMetrics.GpuPercent, gpu.Subject],
                snapshot[HealthMetrics.GpuMemoryUsedBytes, gpu.Subject] is { } gpuUsed ? (long)gpuUsed : null,
                snapshot[HealthMetrics.GpuMemoryTotalBytes, gpu.Subject] is { } gpuTotal ? (long)gpuTotal : null,
                snapshot[HealthMetrics.GpuTemperatureCelsius, gpu.Subject],
                snapshot[HealthMetrics.GpuPowerWatts, gpu.Subject]))],
        };
    }
}

/// <summary>One GPU's figures: <c>gpu_usage_percent</c>, <c>gpu_memory_*_bytes</c>, <c>gpu_temperature_celsius</c>, <c>gpu_power_watts</c>.</summary>
/// <param name="Gpu">The label value, for example <c>"0"</c> or <c>"0:NVIDIA H100"</c>.</param>
/// <param name="UtilizationPercent">Utilisation, in percent.</param>
/// <param name="MemoryUsedBytes">Memory in use, in bytes.</param>
/// <param name="MemoryTotalBytes">Memory, in bytes.</param>
/// <param name="TemperatureCelsius">Temperature, in degrees Celsius.</param>
/// <param name="PowerWatts">Power draw, in watts.</param>
internal sealed record ExportedGpu(
    string Gpu,
    double? UtilizationPercent = null,
    long? MemoryUsedBytes = null,
    long? MemoryTotalBytes = null,
    double? TemperatureCelsius = null,
    double? PowerWatts = null);
