using Maran.Instrument.Health;

namespace Maran.Instrument.Costs;

/// <summary>The health monitor's latest GPU readings as the cost tracker reads them: one utilisation per NVML device.</summary>
internal sealed class HealthGpuUtilization(SystemHealthMonitor monitor) : IGpuUtilizationSource
{
    public IReadOnlyList<GpuUtilization> ReadGpuUtilization()
    {
        if (monitor.Latest?.Snapshot is not { } snapshot)
        {
            return [];
        }

        var devices = new List<GpuUtilization>(snapshot.Gpus.Count);
        foreach (GpuDevice gpu in snapshot.Gpus)
        {
            if (snapshot[HealthMetrics.GpuPercent, gpu.Subject] is { } percent)
            {
                devices.Add(new GpuUtilization(gpu.Index, gpu.Name, percent));
            }
        }

        return devices;
    }
}
