using Maran.Instrument.Alerts;
using Maran.Instrument.Costs;
using Maran.Instrument.Tests.Errors;

namespace Maran.Instrument.Tests.Costs;

/// <summary>The figures alert rules read from the cost tracker: sliding-window cost, tokens per minute, budget use.</summary>
public class CostAlertMetricsTests
{
    [Fact]
    public void Cost_and_tokens_over_a_sliding_window_count_only_the_part_of_the_oldest_minute_inside_it()
    {
        using var harness = new TrackerHarness(o => o.Costs.Prices.Add(new ModelPrice { Model = "flat", Match = PriceMatch.Exact, PerCall = 1m })).Start();

        harness.Time.SetUtcNow(TrackerHarness.Epoch.AddMinutes(10));
        harness.Costs.RecordTokens("flat", 600, 0);
        harness.Time.SetUtcNow(TrackerHarness.Epoch.AddMinutes(70));
        harness.Costs.RecordTokens("flat", 60, 60);
        harness.Costs.Flush();
        harness.Costs.GetCostSummary();
        harness.Time.SetUtcNow(TrackerHarness.Epoch.AddMinutes(70).AddSeconds(30));

        // The hour ending at 1:10:30 holds the last half of minute 0:10 (so half its cost) and all of minute 1:10.
        Assert.Equal(1.5m, harness.Costs.Recent(TimeSpan.FromHours(1)).Cost);
        Assert.Equal(1m, harness.Costs.Recent(TimeSpan.FromMinutes(59)).Cost);
        Assert.Equal(2m, harness.Costs.Recent(TimeSpan.FromDays(1)).Cost);
        Assert.Equal(120, harness.Costs.Recent(TimeSpan.FromMinutes(1)).Tokens);
    }

    [Fact]
    public void Per_model_cost_and_tokens_count_each_models_calls_over_the_same_sliding_window()
    {
        using var harness = new TrackerHarness(o =>
        {
            o.Costs.Prices.Add(new ModelPrice { Model = "small", Match = PriceMatch.Exact, PerCall = 1m });
            o.Costs.Prices.Add(new ModelPrice { Model = "large", Match = PriceMatch.Exact, PerCall = 10m });
        }).Start();

        harness.Time.SetUtcNow(TrackerHarness.Epoch.AddMinutes(10));
        harness.Costs.RecordTokens("large", 600, 0);
        harness.Time.SetUtcNow(TrackerHarness.Epoch.AddMinutes(70));
        harness.Costs.RecordTokens("small", 60, 60);
        harness.Costs.RecordTokens("large", 5, 5);
        harness.Costs.RecordCost("gpu", 100m, "not_a_model");
        harness.Costs.Flush();
        harness.Costs.GetCostSummary();
        harness.Time.SetUtcNow(TrackerHarness.Epoch.AddMinutes(70).AddSeconds(30));

        // As for the totals, the hour ending at 1:10:30 holds half of minute 0:10; a cost that is no model call is in no model's series.
        Assert.Equal([("large", 15m, 310.0), ("small", 1m, 120.0)], harness.Costs.RecentByModel(TimeSpan.FromHours(1)));
        Assert.Equal([("large", 10m, 10.0), ("small", 1m, 120.0)], harness.Costs.RecentByModel(TimeSpan.FromMinutes(1)));
        Assert.Equal(harness.Costs.Recent(TimeSpan.FromMinutes(1)).Tokens, harness.Costs.RecentByModel(TimeSpan.FromMinutes(1)).Sum(m => m.Tokens));
    }

    [Fact]
    public void Budget_use_is_reported_per_configured_budget_in_percent()
    {
        using var harness = new TrackerHarness(o =>
        {
            o.Costs.Budgets.DailyUsd = 2m;
            o.Costs.Budgets.MonthlyUsd = 10m;
        }).Start();

        harness.Costs.RecordCost("model_api", 0.5m, "budget_use");
        harness.Costs.Flush();
        harness.Costs.GetCostSummary();

        Assert.Equal([(BudgetPeriod.Daily, 25.0), (BudgetPeriod.Monthly, 5.0)], harness.Costs.BudgetUse());
    }

    [Fact]
    public void The_alert_engine_has_all_six_cost_gauges_connected()
    {
        var registry = new AlertMetricRegistry();
        using var harness = new TrackerHarness();

        CostMetricConnection.Connect(registry, harness.Costs);

        Assert.All(
            [AlertMetrics.CostPerHourUsd, AlertMetrics.CostPerDayUsd, AlertMetrics.TokensPerMinute, AlertMetrics.ModelCostPerHourUsd,
                AlertMetrics.ModelTokensPerMinute, AlertMetrics.BudgetUsedPercent],
            metric => Assert.True(registry.Connected.IsConnected(metric), metric));
    }
}
