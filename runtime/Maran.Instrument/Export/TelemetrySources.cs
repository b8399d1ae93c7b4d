using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Health;

namespace Maran.Instrument.Export;

/// <summary>
/// What the exporters read besides the operation recorders: health, error categories and severities, costs, the
/// series the anomaly detector watches and the SLOs. Reads are pure: reading twice gives the same figures.
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

    /// <summary>Every series an anomaly rule watches, with its latest score and expected band; empty while alerting does not run.</summary>
    IReadOnlyList<AnomalyReading> Anomalies();

    /// <summary>Every SLO with its objective, remaining error budget and burn rates now; empty while alerting does not run.</summary>
    IReadOnlyList<SloStatus> Slos();
}

/// <summary>
/// The system's own sources: the health monitor's latest sample, the error tracker's counts while
/// <c>errors.enabled</c> (otherwise the operations' failures, as <c>category="unclassified"</c>,
/// <c>severity="error"</c>), the cost tracker's totals, and the alert engine's anomaly series and SLOs.
/// </summary>
internal sealed class TelemetrySources(SystemHealthMonitor health, ErrorTracker errors, CostTracker costs, AlertEngine alerts, MonitoringOptions options) : ITelemetrySources
{
    public ExportedHealth? Health() => ExportedHealth.From(health.Latest);

    public IReadOnlyList<ErrorCount>? Errors() => options.Errors.Enabled && errors.HasStarted ? errors.GetErrorCounts() : null;

    public IReadOnlyList<CostTotal> Costs() => costs.GetExportedTotals();

    public IReadOnlyList<AnomalyReading> Anomalies() => alerts.GetAnomalies();

    public IReadOnlyList<SloStatus> Slos() => alerts.GetSloStatus();
}
