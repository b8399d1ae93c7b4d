using Maran.Instrument.Errors;

namespace Maran.Instrument.Tests.Errors;

/// <summary>Errors survive a restart: new trackers over the same SQLite file answer as the old ones did.</summary>
[Collection(TrackerCollection.Name)]
public class ErrorPersistenceTests
{
    [Fact]
    public async Task Groups_counts_and_trends_come_back_after_a_restart()
    {
        using var harness = new TrackerHarness().Start();
        for (int hour = 0; hour < 5; hour++)
        {
            harness.Time.SetUtcNow(TrackerHarness.Epoch.AddHours(hour));
            harness.Errors.TrackError(Failures.UserNotFound(hour), component: "persist");
            harness.Errors.TrackError(new TimeoutException("slow tool"), ErrorSeverity.Warning, "persist_tools");
        }

        harness.Errors.Flush();
        ErrorAnalytics before = harness.Errors.GetErrorAnalytics(6);
        await harness.FlushAsync();

        harness.Restart();
        harness.Errors.Flush();
        ErrorAnalytics after = harness.Errors.GetErrorAnalytics(6);

        Assert.Equal(10, after.TotalErrors);
        Assert.Equal(before.ByComponent, after.ByComponent);
        Assert.Equal(before.BySeverity, after.BySeverity);
        Assert.Equal(before.HourlyTrend, after.HourlyTrend);
        Assert.Equal(before.TopGroups.Select(g => (g.Fingerprint, g.Count, g.FirstSeen, g.LastSeen)), after.TopGroups.Select(g => (g.Fingerprint, g.Count, g.FirstSeen, g.LastSeen)));
    }

    [Fact]
    public async Task A_new_occurrence_after_a_restart_joins_its_old_group_and_a_resolution_is_remembered()
    {
        using var harness = new TrackerHarness().Start();
        harness.Errors.TrackError(Failures.UserNotFound(1), component: "persist_group");
        harness.Errors.Flush();
        string fingerprint = Assert.Single(harness.Errors.GetErrorAnalytics().TopGroups).Fingerprint;
        harness.Errors.ResolveGroup(fingerprint);
        await harness.FlushAsync();

        harness.Restart();
        harness.Errors.Flush();
        Assert.Equal(ErrorGroupStatus.Resolved, harness.Errors.GetGroup(fingerprint)!.Status);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        harness.Errors.TrackError(Failures.UserNotFound(99), component: "persist_group");

        harness.Errors.Flush();
        ErrorGroup group = harness.Errors.GetGroup(fingerprint)!;
        Assert.Equal((2L, ErrorGroupStatus.Regressed), (group.Count, group.Status));
    }

    [Fact]
    public async Task Every_error_is_stored_with_its_stack_inner_exceptions_context_and_trace()
    {
        using var harness = new TrackerHarness().Start();
        using (ErrorContext.Push("conversation", "c-9"))
        {
            harness.Errors.TrackError(new InvalidOperationException("tool call failed", Failures.UserNotFound(4)), ErrorSeverity.Critical, "persist_row");
        }

        await harness.FlushAsync();
        harness.Restart();

        harness.Errors.Flush();
        TrackedError stored = Assert.Single(harness.Errors.GetRecentErrors(10));
        Assert.Equal(("System.InvalidOperationException", "tool call failed", ErrorSeverity.Critical, "persist_row"), (stored.Type, stored.Message, stored.Severity, stored.Component));
        Assert.Equal(TrackerHarness.Epoch, stored.Timestamp);
        Assert.Equal("c-9", stored.Context!["conversation"]);
        InnerError inner = Assert.Single(stored.InnerExceptions);
        Assert.Equal("System.Collections.Generic.KeyNotFoundException", inner.Type);
        Assert.Contains("UserStore.Find", inner.StackTrace, StringComparison.Ordinal);
        Assert.Equal(1, harness.Scalar("SELECT COUNT(*) FROM errors WHERE severity = 'critical' AND category = 'unknown'"));
    }
}
