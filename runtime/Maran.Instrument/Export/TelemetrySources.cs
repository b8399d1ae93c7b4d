namespace Maran.Instrument;

/// <summary>
/// Where the exporters read the figures that other parts of the system own: health (the health monitor), error
/// categories and severities (the error tracker) and costs (the cost tracker). Each seam has a default that
/// works without its owner: health from <see cref="AdvancedMonitoringSystem.HealthMonitor"/>'s latest sample, errors counted from the operations' own failure tallies as
/// <c>category="unclassified"</c>, <c>severity="error"</c>, and no costs.
/// </summary>
internal sealed class TelemetrySources
{
    /// <summary>The current health, or null while there is none (the system reads its health monitor's latest sample).</summary>
    public Func<ExportedHealth?> Health { get; set; } = static () => null;

    /// <summary>
    /// Every error counted so far, by type, category, component and severity, or null to count the operations'
    /// own failures (by exception type). When set it is authoritative: the operations' tallies are not added to it.
    /// </summary>
    public Func<IReadOnlyList<ErrorCount>>? Errors { get; set; }

    /// <summary>Costs accumulated so far, by model, component and resource type; empty while there is no cost tracker.</summary>
    public Func<IReadOnlyList<CostTotal>> Costs { get; set; } = static () => [];
}
