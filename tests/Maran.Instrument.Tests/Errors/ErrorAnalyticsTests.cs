using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Errors;

/// <summary>Analytics over a synthetic two-day history, written hour by hour on a fake clock into a real database.</summary>
[Collection(TrackerCollection.Name)]
public class ErrorAnalyticsTests
{
    // Day one and day two: a timeout every hour; a rate limit every sixth hour; on day two, from hour 30 to 35, a
    // validation warning in the tools component every hour.
    private static void WriteTwoDays(TrackerHarness harness)
    {
        for (int hour = 0; hour < 48; hour++)
        {
            harness.Time.SetUtcNow(TrackerHarness.Epoch.AddHours(hour).AddMinutes(10));
            harness.Errors.TrackError(new TimeoutException($"model did not answer within {30 + hour} s"), component: "model");
            if (hour % 6 == 0)
            {
                harness.Errors.TrackError(Failures.RateLimited(), component: "model");
            }

            if (hour is >= 30 and <= 35)
            {
                harness.Errors.TrackError("ValidationError", ErrorSeverity.Warning, "tools", $"argument 'city' of call {hour} is empty");
            }
        }

        harness.Time.SetUtcNow(TrackerHarness.Epoch.AddHours(47).AddMinutes(30));
    }

    [Fact]
    public void Totals_by_type_category_component_and_severity_cover_the_window()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);

        harness.Errors.Flush();
        ErrorAnalytics analytics = harness.Errors.GetErrorAnalytics(48);

        Assert.Equal(48 + 8 + 6, analytics.TotalErrors);
        Assert.Equal(48, analytics.ByType["System.TimeoutException"]);
        Assert.Equal(8, analytics.ByType["System.Net.Http.HttpRequestException"]);
        Assert.Equal(6, analytics.ByType["ValidationError"]);
        Assert.Equal(new Dictionary<string, long> { ["timeout"] = 48, ["rate_limited"] = 8, ["invalid_request"] = 6 }, analytics.ByCategory);
        Assert.Equal(new Dictionary<string, long> { ["model"] = 56, ["tools"] = 6 }, analytics.ByComponent);
        Assert.Equal(new Dictionary<string, long> { ["error"] = 56, ["warning"] = 6 }, analytics.BySeverity);
    }

    [Fact]
    public void The_hourly_trend_has_one_point_per_hour_with_zeros_and_the_exact_counts()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);

        harness.Errors.Flush();
        ErrorAnalytics analytics = harness.Errors.GetErrorAnalytics(48);

        Assert.Equal(48, analytics.HourlyTrend.Count);
        Assert.Equal(TrackerHarness.Epoch, analytics.From);
        Assert.Equal(TrackerHarness.Epoch.AddHours(47), analytics.HourlyTrend[^1].Hour);
        long[] expected = [.. Enumerable.Range(0, 48).Select(h => 1L + (h % 6 == 0 ? 1 : 0) + (h is >= 30 and <= 35 ? 1 : 0))];
        Assert.Equal(expected, analytics.HourlyTrend.Select(p => p.Count));
    }

    [Fact]
    public void A_shorter_window_counts_only_its_own_hours()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);

        harness.Errors.Flush();
        ErrorAnalytics lastDay = harness.Errors.GetErrorAnalytics(24);
        harness.Errors.Flush();
        ErrorAnalytics lastHour = harness.Errors.GetErrorAnalytics(1);

        Assert.Equal(24 + 4 + 6, lastDay.TotalErrors);
        Assert.Equal(TrackerHarness.Epoch.AddHours(24), lastDay.From);
        Assert.Equal(1, lastHour.TotalErrors);
    }

    [Fact]
    public void Top_groups_come_most_frequent_first_with_counts_in_the_window_and_their_status()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);

        harness.Errors.Flush();
        ErrorAnalytics analytics = harness.Errors.GetErrorAnalytics(24);

        Assert.Equal(["System.TimeoutException", "ValidationError", "System.Net.Http.HttpRequestException"], analytics.TopGroups.Select(g => g.Type));
        ErrorGroup timeouts = analytics.TopGroups[0];
        Assert.Equal((48L, 24L), (timeouts.Count, timeouts.CountInWindow));
        Assert.Equal("System.TimeoutException: model did not answer within <num> s", timeouts.Title);
        Assert.Equal(TrackerHarness.Epoch.AddMinutes(10), timeouts.FirstSeen);
        Assert.Equal(ErrorGroupStatus.Ongoing, timeouts.Status);
        Assert.Equal(ErrorGroupStatus.New, analytics.TopGroups[1].Status);
    }

    [Fact]
    public void Resolving_a_group_and_seeing_it_again_marks_it_regressed()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);
        harness.Errors.Flush();
        string fingerprint = harness.Errors.GetErrorAnalytics(48).TopGroups[0].Fingerprint;

        Assert.True(harness.Errors.ResolveGroup(fingerprint));
        harness.Errors.Flush();
        Assert.Equal(ErrorGroupStatus.Resolved, harness.Errors.GetGroup(fingerprint)!.Status);
        harness.Time.Advance(TimeSpan.FromHours(1));
        harness.Errors.TrackError(new TimeoutException("model did not answer within 99 s"), component: "model");

        harness.Errors.Flush();
        Assert.Equal(ErrorGroupStatus.Regressed, harness.Errors.GetGroup(fingerprint)!.Status);
        Assert.False(harness.Errors.ResolveGroup("no-such-group"));
    }

    [Fact]
    public void The_error_rate_of_an_operation_is_its_failures_over_its_calls_cancellations_excluded()
    {
        using var harness = new TrackerHarness().Start();
        OperationRecorder recorder = OperationRegistry.GetOrAdd("answer", "errors_rate_" + Guid.NewGuid().ToString("N"));

        for (int i = 0; i < 10; i++)
        {
            var scope = OperationScope.Start(recorder);
            if (i < 3)
            {
                scope.Fail(new TimeoutException("slow"));
            }
            else if (i == 3)
            {
                scope.Fail(new OperationCanceledException());
            }
            else
            {
                scope.Complete();
            }
        }

        harness.Errors.Flush();
        OperationErrorRate rate = Assert.Single(harness.Errors.GetErrorAnalytics().ErrorRates, r => r.Component == recorder.Component);
        Assert.Equal(("answer", 3L, 10L, 0.3), (rate.Operation, rate.Errors, rate.Calls, rate.Rate));
    }
}
