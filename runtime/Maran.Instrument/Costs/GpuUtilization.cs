namespace Maran.Instrument.Costs;

/// <summary>How busy one GPU is at a moment, as the health monitor reads it.</summary>
/// <param name="Index">The device's index.</param>
/// <param name="Name">The product name, for example <c>NVIDIA H100 80GB HBM3</c>, if known.</param>
/// <param name="UtilizationPercent">Percent of the last sampling period the device was busy.</param>
internal readonly record struct GpuUtilization(int Index, string? Name, double UtilizationPercent);

/// <summary>
/// Where the cost tracker reads GPU utilisation for compute cost: the health monitor's per-device view. Called on
/// the cost tracker's loop once per <c>costs.compute_interval</c>; must be fast and must not throw.
/// </summary>
internal interface IGpuUtilizationSource
{
    /// <summary>The current utilisation of every GPU; empty when there is none.</summary>
    IReadOnlyList<GpuUtilization> ReadGpuUtilization();
}
