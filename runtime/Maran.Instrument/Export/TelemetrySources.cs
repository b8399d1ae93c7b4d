namespace Maran.Instrument;

/// <summary>
/// What the exporters read besides the operation recorders: health, error categories and severities, and costs.
/// Reads are pure: reading twice gives the same figures.
/// </summary>
internal interface ITelemetrySources
{
    /// <summary>The current health, or null while there is none.</summary>
    ExportedHealth? Health();

    /// <summary>
    /// Every error counted so far, by type, category, component and severity, or null to count the operations'
    /// own failures (by exception type). When not null it is authoritative: the operations' tallies are not added to it.
    /// </summary>
    IReadOnlyList<ErrorCount>? Errors();

    /// <summary>Costs accumulated so far, by model, component and resource type.</summary>
    IReadOnlyList<CostTotal> Costs();
}

/// <summary>
/// The system's own sources: the health monitor's latest sample, the error tracker's counts while
/// <c>errors.enabled</c> (otherwise the operations' failures, as <c>category="unclassified"</c>,
/// <c>severity="error"</c>) and the cost tracker's totals.
/// </summary>
internal sealed class TelemetrySources(SystemHealthMonitor health, ErrorTracker errors, CostTracker costs, MonitoringOptions options) : ITelemetrySources
{
    public ExportedHealth? Health() => ExportedHealth.From(health.Latest);

    public IReadOnlyList<ErrorCount>? Errors() => options.Errors.Enabled && errors.HasStarted ? errors.GetErrorCounts() : null;

    public IReadOnlyList<CostTotal> Costs() => costs.GetExportedTotals();
}
