using Maran.Instrument.Alerts;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// One series an anomaly rule watches, for the chart that draws it: the metric, its labels, the rule's
/// <c>min_score</c>, and its recent points with the expected band and score the detector gave each.
/// </summary>
internal sealed record AnomalySeriesView(string Rule, string Metric, string Series, IReadOnlyList<LabelView> Labels, double MinScore, IReadOnlyList<AnomalyPointView> Points)
{
    /// <summary>The views of <paramref name="readings"/> whose metric <paramref name="shown"/> accepts.</summary>
    internal static AnomalySeriesView[] From(IReadOnlyList<AnomalyReading> readings, IReadOnlyList<AlertRule> rules, Func<AnomalyReading, bool> shown) =>
        [.. readings.Where(shown).Select(r => new AnomalySeriesView(
            r.Rule,
            r.Metric,
            r.Series,
            [.. r.Labels.OrderBy(static l => l.Key, StringComparer.Ordinal).Select(static l => new LabelView(l.Key, l.Value))],
            rules.FirstOrDefault(rule => rule.Name == r.Rule && rule.Severity == r.Severity)?.MinScore ?? AlertRuleValidator.DefaultMinScore,
            [.. r.Trail.Select(static p => new AnomalyPointView(
                p.At.ToUnixTimeMilliseconds(), Finite(p.Value), Finite(p.Lower), Finite(p.Upper), Math.Round(p.Score, 4), p.Anomalous))]))];

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>One scored point: when (Unix milliseconds), the value, the expected band, the score, and whether the rule counts it as anomalous.</summary>
internal sealed record AnomalyPointView(long Time, double? Value, double? Lower, double? Upper, double Score, bool Anomalous);

/// <summary>Where one SLO stands: its objective, its calls over its window, the share of its error budget left and its burn rates now.</summary>
internal sealed record SloView(
    string Name,
    string Operation,
    string? Component,
    double Objective,
    double? LatencyMs,
    double WindowSeconds,
    double Good,
    double Total,
    double ErrorBudgetRemaining,
    IReadOnlyList<SloBurnRateView> BurnRates)
{
    internal static SloView From(SloStatus status) => new(
        status.Name,
        status.Operation,
        status.Component,
        status.Objective,
        status.Latency?.TotalMilliseconds,
        status.Window.TotalSeconds,
        status.Good,
        status.Total,
        status.ErrorBudgetRemaining,
        [.. status.BurnRates.Select(static b => new SloBurnRateView(AlertRuleValidator.ShortDuration(b.Window), b.Window.TotalSeconds, b.BurnRate))]);
}

/// <summary>An SLO's burn rate over one window ending now; null when the window saw no call.</summary>
internal sealed record SloBurnRateView(string Window, double WindowSeconds, double? BurnRate);
