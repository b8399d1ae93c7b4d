using Maran.Instrument.Alerts;
using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Export;
using Maran.Instrument.Health;

namespace Maran.Instrument.Tests.Export;

/// <summary>Health, error, cost, anomaly and SLO figures a test sets, read by an exporter the test builds.</summary>
internal sealed class FakeSources : ITelemetrySources
{
    public Func<ExportedHealth?> Health { get; set; } = static () => null;

    public Func<IReadOnlyList<ErrorCount>?> Errors { get; set; } = static () => null;

    public Func<IReadOnlyList<CostTotal>> Costs { get; set; } = static () => [];

    public Func<IReadOnlyList<AnomalyReading>> Anomalies { get; set; } = static () => [];

    public Func<IReadOnlyList<SloStatus>> Slos { get; set; } = static () => [];

    ExportedHealth? ITelemetrySources.Health() => Health();

    IReadOnlyList<ErrorCount>? ITelemetrySources.Errors() => Errors();

    IReadOnlyList<CostTotal> ITelemetrySources.Costs() => Costs();

    IReadOnlyList<AnomalyReading> ITelemetrySources.Anomalies() => Anomalies();

    IReadOnlyList<SloStatus> ITelemetrySources.Slos() => Slos();
}
