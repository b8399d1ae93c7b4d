namespace Maran.Instrument.Alerts;

/// <summary>One series an anomaly rule watches, as it stands: for <c>/metrics</c> and the dashboard's charts.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="Metric">The metric watched.</param>
/// <param name="Series">The metric and the series' labels, as <c>operation_p95_ms{component=model,operation=generate}</c>.</param>
/// <param name="Labels">The series' own labels.</param>
/// <param name="Latest">The latest scored point.</param>
/// <param name="Trail">The recent points, oldest first.</param>
internal sealed record AnomalyReading(
    string Rule,
    AlertSeverity Severity,
    string Metric,
    string Series,
    IReadOnlyDictionary<string, string> Labels,
    AnomalyPoint Latest,
    IReadOnlyList<AnomalyPoint> Trail);
