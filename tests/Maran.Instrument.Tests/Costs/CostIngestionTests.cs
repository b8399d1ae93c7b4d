using Maran.Instrument.Costs;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Maran.Instrument.Tests.Errors;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Costs;

/// <summary>
/// The hand-off of a model call's usage reads only the monotonic clock; the loop turns that stamp into wall-clock time,
/// so a call counts in the hour it was made in however long it waited in the queue.
/// </summary>
[Collection(TrackerCollection.Name)]
public sealed class CostIngestionTests
{
    [Fact]
    public void A_call_made_just_before_the_hour_counts_in_that_hour_though_the_loop_prices_it_after_the_hour_turned()
    {
        DateTimeOffset beforeTheHour = TrackerHarness.Epoch.AddHours(10).AddSeconds(-2);
        using var harness = new TrackerHarness(o => o.Costs.Budgets.DailyUsd = 1m, now: beforeTheHour).Start();
        using var loopBusy = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        harness.Costs.BudgetThresholdReached += (_, _) =>
        {
            loopBusy.Set();
            release.Wait(TrackerHarness.Patience);
        };
        IUsageListener listener = harness.Costs;
        OperationRecorder answer = OperationRegistry.GetOrAdd("answer", "costs_hour_" + Guid.NewGuid().ToString("N")[..8]);

        harness.Costs.RecordCost("compute", 2m, component: answer.Component);
        Assert.True(loopBusy.Wait(TrackerHarness.Patience));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        listener.OnUsage(answer, new TokenUsage(1000, 500, model: "gpt-4o-mini"));
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        release.Set();
        Assert.True(harness.Costs.Flush(TrackerHarness.Patience));

        CostSummary summary = harness.Costs.GetCostSummary(2);
        Assert.Equal(TrackerHarness.Epoch.AddHours(10).AddSeconds(1), summary.To);
        Assert.Equal([1500L, 0L], summary.Hourly.Select(h => h.Tokens));
    }

    [Fact]
    public void A_stamp_taken_before_the_clock_moved_on_is_turned_into_the_time_it_was_taken()
    {
        var time = new FakeTimeProvider(TrackerHarness.Epoch);
        long stamp = time.GetTimestamp();
        time.Advance(TimeSpan.FromMinutes(61));

        DateTimeOffset at = StampClock.Read(time).TimeOf(stamp);

        Assert.Equal(TrackerHarness.Epoch, at);
    }
}
