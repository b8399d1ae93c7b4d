using Maran.Instrument.Costs;
using Maran.Instrument.Errors;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The costs section, from the cost tracker: the summary of a window (the frame's day, or another window read once
/// per frame) with its breakdowns, hourly and daily points and budgets, and the totals since the tracker started.
/// A model without a price shows its tokens and "unpriced", never a cost of zero.
/// </summary>
internal sealed class CostsSection(AdvancedMonitoringSystem system, IDashboardSource source) : DashboardSection("costs", "Costs")
{
    /// <summary>The window the frame's snapshot covers (<see cref="DashboardData.Costs"/>).</summary>
    internal const int DefaultHours = 24;

    /// <summary>Models listed at most, the costliest first.</summary>
    internal const int MaxModels = 100;

    /// <summary>Components and resource types listed at most; the rest are summed together.</summary>
    internal const int MaxParts = 20;

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(Build(frame, query), DashboardJson.Default.CostsView);

    /// <summary>Why the cost card of the overview has nothing to show, or null when it has.</summary>
    internal string? Waiting(DashboardData data)
    {
        if (!system.Options.Costs.Enabled)
        {
            return "Waiting for data: cost tracking is off (costs.enabled: false).";
        }

        CostSummary costs = data.Costs;
        bool empty = costs.TotalUsd == 0 && costs.Tokens.Calls == 0 && costs.ByResourceType.Count == 0;
        return !data.IsRunning && empty
            ? "Waiting for data: costs are tracked while the monitoring system runs (AdvancedMonitoringSystem.Start)."
            : null;
    }

    /// <summary>The overview's cost card: today's cost and tokens (the last of the day's points), unpriced models and the daily budget.</summary>
    internal OverviewCostView Today(DashboardData data)
    {
        if (Waiting(data) is { } message)
        {
            return new OverviewCostView(false, message);
        }

        CostSummary costs = data.Costs;
        CostPoint? today = costs.Daily.Count > 0 ? costs.Daily[^1] : null;
        BudgetStatus? daily = costs.Budgets.FirstOrDefault(static b => b.Period == BudgetPeriod.Daily);
        return new OverviewCostView(
            true,
            string.Empty,
            today?.CostUsd ?? 0,
            today?.Tokens ?? 0,
            costs.UnpricedModels.Count,
            daily is null ? null : Math.Round(daily.Percent, 2),
            daily?.BudgetUsd);
    }

    public CostsView Build(DashboardFrame frame, SectionQuery query)
    {
        int hours = query.Hours ?? DefaultHours;
        CostSummary summary = hours == DefaultHours
            ? frame.Data.Costs
            : frame.Memo($"costs:summary:{hours}", f => source.CostSummary(f, hours));
        CostsSinceStartView sinceStart = frame.Memo("costs:totals", f => SinceStart(source.CostTotals(f)));
        IReadOnlyDictionary<(string Component, string Operation), long> unpricedCalls = frame.Memo($"costs:unpriced:{hours}", f => source.UnpricedCalls(f, hours));
        var unpricedComponents = new HashSet<string>(unpricedCalls.Keys.Select(static k => k.Component), StringComparer.Ordinal);
        bool enabled = system.Options.Costs.Enabled;
        bool running = frame.Data.IsRunning;
        string? message = !enabled
            ? "Cost tracking is off (costs.enabled: false): nothing new is recorded."
            : !running
                ? "Costs are tracked while the monitoring system runs (AdvancedMonitoringSystem.Start); what is shown was kept."
                : null;

        var unpriced = new HashSet<string>(summary.UnpricedModels, StringComparer.Ordinal);
        int pages = Math.Max(1, (summary.ByOperation.Count + query.Size - 1) / query.Size);
        int page = Math.Min(query.Page, pages - 1);
        return new CostsView(
            enabled,
            running,
            message,
            hours,
            summary.From,
            summary.TotalUsd,
            Tokens(summary.Tokens),
            [.. summary.ByModel.Take(MaxModels).Select(m => new ModelCostView(m.Model, Tokens(m.Tokens), m.CostUsd, m.CostUsd is null || unpriced.Contains(m.Model)))],
            Math.Max(0, summary.ByModel.Count - MaxModels),
            summary.UnpricedModels,
            Amounts(summary.ByComponent, unpricedComponents.Contains),
            Amounts(summary.ByResourceType, type => type == CostTracker.TokensResource && unpriced.Count > 0),
            new OperationCostsView(
                summary.ByOperation.Count,
                page,
                query.Size,
                [.. summary.ByOperation
                    .Skip(page * query.Size)
                    .Take(query.Size)
                    .Select(o => new OperationCostView(o.Component, o.Operation, o.Calls, o.Tokens, o.CostUsd, unpricedCalls.GetValueOrDefault((o.Component, o.Operation))))]),
            Series(summary.Hourly),
            Series(summary.Daily),
            [.. summary.Budgets.Select(Budget)],
            sinceStart,
            frame.Fleet is null ? frame.Memo("costs:anomalies", _ => WatchedCosts()) : []);
    }

    // Each watched cost series, in a stable order: the page keeps one chart per series.
    private AnomalySeriesView[] WatchedCosts() =>
        [.. AnomalySeriesView.From(system.Telemetry.Anomalies(), system.Alerts.Rules, static r => WatchedSeries.CostMetrics.Contains(r.Metric))
            .OrderBy(static s => s.Series, StringComparer.Ordinal)
            .ThenBy(static s => s.Rule, StringComparer.Ordinal)];

    private BudgetView Budget(BudgetStatus budget) => new(
        EnumNames.Of(budget.Period),
        budget.Start,
        budget.BudgetUsd,
        budget.SpentUsd,
        Math.Round(budget.Percent, 2),
        [.. system.Options.Costs.Budgets.Thresholds.Distinct().Order().Select(t => new ThresholdView(t, budget.SpentUsd >= budget.BudgetUsd * (decimal)t / 100m))]);

    private static TokenCountsView Tokens(TokenTotals t) =>
        new(t.Calls, t.Input, t.Output, t.CachedInput, t.CacheWrite, t.Reasoning, t.EstimatedCalls, t.CallsWithoutUsage);

    private static AmountsView Amounts(IReadOnlyDictionary<string, decimal> amounts, Func<string, bool> unpriced)
    {
        AmountView[] top = [.. amounts
            .OrderByDescending(static a => a.Value)
            .ThenBy(static a => a.Key, StringComparer.Ordinal)
            .Take(MaxParts)
            .Select(a => new AmountView(a.Key, a.Value, unpriced(a.Key)))];
        return new AmountsView(top, amounts.Count - top.Length, amounts.Values.Sum() - top.Sum(static a => a.Usd));
    }

    private static CostSeriesView Series(IReadOnlyList<CostPoint> points) => new(
        [.. points.Select(static p => p.Start.ToUnixTimeMilliseconds())],
        [.. points.Select(static p => p.CostUsd)],
        [.. points.Select(static p => p.Tokens)]);

    private static CostsSinceStartView SinceStart(CostTotals totals)
    {
        long calls = 0, input = 0, output = 0;
        var models = new HashSet<string>(StringComparer.Ordinal);
        var unpriced = new HashSet<string>(StringComparer.Ordinal);
        foreach (UsageTotal usage in totals.Usage)
        {
            calls += usage.Tokens.Calls;
            input += usage.Tokens.Input;
            output += usage.Tokens.Output;
            models.Add(usage.Model);
            if (usage.CostUsd is null)
            {
                unpriced.Add(usage.Model);
            }
        }

        return new CostsSinceStartView(totals.TotalUsd, calls, input, output, models.Count, unpriced.Count);
    }
}
