using Maran.Instrument.Alerts;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Every series an anomaly rule watches, for the overview's charts (<c>GET /api/anomalies</c>): the highest latest
/// score first, at most <see cref="MaxSeries"/>, each with its recent points and expected band. When none can be
/// shown, <see cref="WatchedSeriesView.Message"/> says why (alerting off, no anomaly rule, the first evaluation not
/// yet made, or a fleet whose rules run in each process).
/// </summary>
internal static class WatchedSeries
{
    /// <summary>Series listed at most; the rest are counted in <see cref="WatchedSeriesView.Omitted"/>.</summary>
    internal const int MaxSeries = 12;

    /// <summary>The metrics the Costs section draws a watched series of.</summary>
    internal static readonly IReadOnlySet<string> CostMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        AlertMetrics.CostPerHourUsd,
        AlertMetrics.CostPerDayUsd,
        AlertMetrics.TokensPerMinute,
        AlertMetrics.ModelCostPerHourUsd,
        AlertMetrics.ModelTokensPerMinute,
        AlertMetrics.BudgetUsedPercent,
    };

    /// <summary>The watched series of <paramref name="system"/> for <paramref name="frame"/>.</summary>
    public static WatchedSeriesView Build(AdvancedMonitoringSystem system, DashboardFrame frame)
    {
        if (frame.Fleet is not null)
        {
            return new WatchedSeriesView(false, "Anomaly rules run in each process: open an instance's own dashboard, or graph maran_anomaly_score and maran_anomaly_expected_lower/upper{series} in Prometheus.", [], 0);
        }

        if (!system.Options.Alerts.Enabled)
        {
            return new WatchedSeriesView(false, "Waiting for data: alerting is off (alerts.enabled: false).", [], 0);
        }

        IReadOnlyList<AlertRule> rules = system.Alerts.Rules;
        if (!rules.Any(static r => r.Kind == AlertRuleKind.Anomaly))
        {
            return new WatchedSeriesView(false, "No anomaly rule watches a series: add one with kind: anomaly (docs/anomaly-detection.md).", [], 0);
        }

        AnomalySeriesView[] all = AnomalySeriesView.From(system.Telemetry.Anomalies(), rules, static _ => true);
        if (all.Length == 0)
        {
            return new WatchedSeriesView(false, "Waiting for data: the anomaly rules have not been evaluated yet.", [], 0);
        }

        AnomalySeriesView[] shown = [.. all
            .OrderByDescending(static s => s.Points.Count > 0 ? s.Points[^1].Score : 0)
            .ThenBy(static s => s.Series, StringComparer.Ordinal)
            .ThenBy(static s => s.Rule, StringComparer.Ordinal)
            .Take(MaxSeries)];
        return new WatchedSeriesView(true, string.Empty, shown, all.Length - shown.Length);
    }
}

/// <summary>The watched series shown, or why none is (<see cref="Available"/> false), and how many more there are.</summary>
internal sealed record WatchedSeriesView(bool Available, string Message, IReadOnlyList<AnomalySeriesView> Series, int Omitted);
