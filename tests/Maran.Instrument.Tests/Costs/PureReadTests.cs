using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Tests.Errors;

namespace Maran.Instrument.Tests.Costs;

/// <summary>The trackers' reads answer from what their loops have handled, at once; read-your-writes is an explicit flush.</summary>
[Collection(TrackerCollection.Name)]
public sealed class PureReadTests
{
    [Fact]
    public void A_cost_summary_read_while_the_loop_is_busy_answers_with_what_was_priced_so_far()
    {
        using var harness = new TrackerHarness(o => o.Costs.Budgets.DailyUsd = 1m).Start();
        using var loopBusy = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        harness.Costs.BudgetThresholdReached += (_, _) =>
        {
            loopBusy.Set();
            release.Wait(TrackerHarness.Patience);
        };

        harness.Costs.RecordCost("compute", 2m, component: "batch");
        Assert.True(loopBusy.Wait(TrackerHarness.Patience));
        harness.Costs.RecordCost("compute", 3m, component: "batch");

        CostSummary whileBusy = harness.Costs.GetCostSummary(1);
        bool stillBusy = !release.IsSet;
        release.Set();
        Assert.True(harness.Costs.Flush(TrackerHarness.Patience));
        CostSummary afterFlush = harness.Costs.GetCostSummary(1);

        Assert.True(stillBusy);
        Assert.Equal(2m, whileBusy.TotalUsd);
        Assert.Equal(5m, afterFlush.TotalUsd);
    }

    [Fact]
    public void Two_cost_summaries_in_a_row_are_equal()
    {
        using var harness = new TrackerHarness().Start();
        harness.Costs.RecordTokens("gpt-4o-mini", 1_000, 500, component: "chat");
        harness.Costs.Flush();

        CostSummary first = harness.Costs.GetCostSummary(1);
        CostSummary second = harness.Costs.GetCostSummary(1);

        Assert.Equal(first.TotalUsd, second.TotalUsd);
        Assert.Equal(first.ByModel.Select(m => (m.Model, m.Tokens.Input, m.Tokens.Output, m.CostUsd)), second.ByModel.Select(m => (m.Model, m.Tokens.Input, m.Tokens.Output, m.CostUsd)));
    }

    [Fact]
    public void A_flush_then_a_read_sees_the_error_just_tracked()
    {
        using var harness = new TrackerHarness().Start();

        harness.Errors.TrackError("TimeoutError", ErrorSeverity.Error, "billing", "the payment service timed out");
        Assert.True(harness.Errors.Flush(TrackerHarness.Patience));
        ErrorAnalytics analytics = harness.Errors.GetErrorAnalytics(1);
        IReadOnlyList<TrackedError> recent = harness.Errors.GetRecentErrors(5);

        Assert.Equal(1, analytics.TotalErrors);
        Assert.Equal("the payment service timed out", Assert.Single(recent).Message);
    }

    [Fact]
    public void Two_error_analytics_in_a_row_are_equal()
    {
        using var harness = new TrackerHarness().Start();
        harness.Errors.TrackError("TimeoutError", ErrorSeverity.Error, "billing", "the payment service timed out");
        harness.Errors.TrackError("RateLimited", ErrorSeverity.Warning, "chat", "429 from the model");
        harness.Errors.Flush();

        ErrorAnalytics first = harness.Errors.GetErrorAnalytics(1);
        ErrorAnalytics second = harness.Errors.GetErrorAnalytics(1);

        Assert.Equal(first.TotalErrors, second.TotalErrors);
        Assert.Equal(first.ByType, second.ByType);
        Assert.Equal(first.HourlyTrend.Select(p => p.Count), second.HourlyTrend.Select(p => p.Count));
    }
}
