using System.Collections.Concurrent;
using Maran.Instrument.Costs;
using Maran.Instrument.Tests.Errors;

namespace Maran.Instrument.Tests.Costs;

public class BudgetTests
{
    private static TrackerHarness Harness(decimal? daily = null, decimal? monthly = null)
    {
        var harness = new TrackerHarness(o =>
        {
            o.Costs.Budgets.DailyUsd = daily;
            o.Costs.Budgets.MonthlyUsd = monthly;
        });
        return harness.Start();
    }

    private static ConcurrentQueue<BudgetAlert> Collect(CostTracker tracker)
    {
        var alerts = new ConcurrentQueue<BudgetAlert>();
        tracker.BudgetThresholdReached += (_, alert) => alerts.Enqueue(alert);
        return alerts;
    }

    private static async Task SpendAsync(TrackerHarness harness, decimal usd)
    {
        harness.Costs.RecordCost("model_api", usd, "budget");
        await harness.Costs.FlushAsync().WaitAsync(TrackerHarness.Patience);
    }

    [Fact]
    public async Task A_daily_budget_warns_once_at_50_80_and_100_percent()
    {
        using TrackerHarness harness = Harness(daily: 1.00m);
        ConcurrentQueue<BudgetAlert> alerts = Collect(harness.Costs);

        await SpendAsync(harness, 0.30m);
        Assert.Empty(alerts);
        await SpendAsync(harness, 0.25m);
        await SpendAsync(harness, 0.10m);
        await SpendAsync(harness, 0.20m);
        await SpendAsync(harness, 0.20m);
        await SpendAsync(harness, 0.50m);

        Assert.Equal([(50.0, 0.55m), (80.0, 0.85m), (100.0, 1.05m)], alerts.Select(a => (a.ThresholdPercent, a.SpentUsd)));
        Assert.All(alerts, a => Assert.Equal((BudgetPeriod.Daily, TrackerHarness.Epoch, 1.00m), (a.Period, a.PeriodStart, a.BudgetUsd)));
        Assert.True(alerts.Last().IsExceeded);
        harness.Costs.Flush();
        BudgetStatus status = Assert.Single(harness.Costs.GetCostSummary().Budgets);
        Assert.Equal((1.55m, 155.0), (status.SpentUsd, status.Percent));
    }

    [Fact]
    public async Task A_new_day_starts_a_new_daily_budget()
    {
        using TrackerHarness harness = Harness(daily: 1.00m);
        ConcurrentQueue<BudgetAlert> alerts = Collect(harness.Costs);

        await SpendAsync(harness, 0.60m);
        harness.Time.Advance(TimeSpan.FromDays(1));
        await SpendAsync(harness, 0.40m);
        Assert.Single(alerts);
        await SpendAsync(harness, 0.20m);

        Assert.Equal([TrackerHarness.Epoch, TrackerHarness.Epoch.AddDays(1)], alerts.Select(a => a.PeriodStart));
        harness.Costs.Flush();
        Assert.Equal(0.60m, Assert.Single(harness.Costs.GetCostSummary().Budgets).SpentUsd);
    }

    [Fact]
    public async Task A_monthly_budget_adds_up_the_days_of_its_calendar_month()
    {
        using TrackerHarness harness = Harness(monthly: 10.00m);
        ConcurrentQueue<BudgetAlert> alerts = Collect(harness.Costs);

        for (int day = 0; day < 31; day++)
        {
            harness.Time.SetUtcNow(TrackerHarness.Epoch.AddDays(day).AddHours(12));
            await SpendAsync(harness, 0.30m);
        }

        Assert.Equal([(50.0, 5.10m), (80.0, 8.10m)], alerts.Select(a => (a.ThresholdPercent, a.SpentUsd)));
        Assert.All(alerts, a => Assert.Equal(BudgetPeriod.Monthly, a.Period));
        harness.Costs.Flush();
        Assert.Equal(9.30m, Assert.Single(harness.Costs.GetCostSummary().Budgets).SpentUsd);

        harness.Time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 1, 0, 0, TimeSpan.Zero));
        harness.Costs.Flush();
        Assert.Equal(0m, Assert.Single(harness.Costs.GetCostSummary().Budgets).SpentUsd);
    }

    [Fact]
    public async Task A_restart_keeps_the_spending_and_does_not_announce_a_threshold_again()
    {
        using TrackerHarness harness = Harness(daily: 1.00m);
        ConcurrentQueue<BudgetAlert> before = Collect(harness.Costs);
        await SpendAsync(harness, 0.85m);
        Assert.Equal([50.0, 80.0], before.Select(a => a.ThresholdPercent));

        harness.Restart();
        ConcurrentQueue<BudgetAlert> after = Collect(harness.Costs);
        await SpendAsync(harness, 0.05m);
        Assert.Empty(after);
        await SpendAsync(harness, 0.10m);

        BudgetAlert exceeded = Assert.Single(after);
        Assert.Equal((100.0, 1.00m), (exceeded.ThresholdPercent, exceeded.SpentUsd));
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_the_others_or_the_tracker()
    {
        using TrackerHarness harness = Harness(daily: 1.00m);
        harness.Costs.BudgetThresholdReached += (_, _) => throw new InvalidOperationException("a broken alert channel");
        ConcurrentQueue<BudgetAlert> alerts = Collect(harness.Costs);

        await SpendAsync(harness, 0.60m);
        await SpendAsync(harness, 0.30m);

        Assert.Equal([50.0, 80.0], alerts.Select(a => a.ThresholdPercent));
        harness.Costs.Flush();
        Assert.Equal(0.90m, harness.Costs.GetCostSummary().TotalUsd);
    }
}
