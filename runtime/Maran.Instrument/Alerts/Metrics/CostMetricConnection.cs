using Maran.Instrument.Costs;
using Maran.Instrument.Errors;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Feeds the alert rules' cost gauges from the cost tracker: <c>cost_per_hour_usd</c> and <c>cost_per_day_usd</c>
/// (sliding windows ending now), <c>tokens_per_minute</c> (the last 60 seconds), the same hour and minute per model
/// (<c>model_cost_per_hour_usd</c>, <c>model_tokens_per_minute</c>, label <c>model</c>: one series for each model with
/// calls in the window) and <c>budget_used_percent</c> (label <c>budget</c>: <c>daily</c>, <c>monthly</c>, for the
/// budgets that are set).
/// </summary>
internal static class CostMetricConnection
{
    internal static void Connect(AlertMetricRegistry metrics, CostTracker costs)
    {
        metrics.Connect(AlertMetrics.CostPerHourUsd, () => (double)costs.Recent(TimeSpan.FromHours(1)).Cost);
        metrics.Connect(AlertMetrics.CostPerDayUsd, () => (double)costs.Recent(TimeSpan.FromDays(1)).Cost);
        metrics.Connect(AlertMetrics.TokensPerMinute, () => costs.Recent(TimeSpan.FromMinutes(1)).Tokens);
        metrics.Connect(AlertMetrics.ModelCostPerHourUsd, () => costs.RecentByModel(TimeSpan.FromHours(1)).Select(m => ForModel(m.Model, (double)m.Cost)));
        metrics.Connect(AlertMetrics.ModelTokensPerMinute, () => costs.RecentByModel(TimeSpan.FromMinutes(1)).Select(m => ForModel(m.Model, m.Tokens)));
        metrics.Connect(AlertMetrics.BudgetUsedPercent, () => costs.BudgetUse().Select(b =>
            new AlertSample(b.Percent, new Dictionary<string, string>(StringComparer.Ordinal) { ["budget"] = EnumNames.Of(b.Period) })));
    }

    private static AlertSample ForModel(string model, double value) =>
        new(value, new Dictionary<string, string>(StringComparer.Ordinal) { ["model"] = model });
}
