using Maran.Instrument.Alerts;

namespace Maran.Instrument.Tests.Alerts;

public class AnomalyRuleTests
{
    private static AlertTestEngine Engine(AlertRule rule)
    {
        var test = new AlertTestEngine(o => o.Alerts.CustomMetrics.Add("queue_depth"));
        test.Engine.AddRule(rule);
        test.Start();
        return test;
    }

    // A steady series around 100 with a little deterministic noise, one point per evaluation.
    private static void FeedSteady(AlertTestEngine test, int points, Random noise)
    {
        for (int i = 0; i < points; i++)
        {
            test.Feed("queue_depth", 100 + (noise.NextDouble() - 0.5) * 4);
        }
    }

    [Fact]
    public async Task A_spike_in_a_steady_series_goes_pending_then_fires_with_its_band_and_resolves_when_the_series_settles()
    {
        using AlertTestEngine test = Engine(AlertRule.Create("QueueAnomaly").When("queue_depth").Anomalous(0.5, AnomalyDirection.Above)
            .Annotation("summary", "{{ $value }} against {{ $expected | printf \"%.3f\" }} in {{ $lower | printf \"%.3f\" }}..{{ $upper | printf \"%.3f\" }}, score {{ $score | printf \"%.2f\" }}")
            .Build());
        var noise = new Random(7);
        FeedSteady(test, 200, noise);
        Assert.Empty(test.Engine.GetActiveAlerts());

        test.Feed("queue_depth", 400);

        Alert firing = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.Equal((AlertState.Firing, 400.0), (firing.State, firing.Value));
        AnomalyReading reading = Assert.Single(test.Engine.GetAnomalies());
        Assert.Equal(("queue_depth", true), (reading.Series, reading.Latest.Anomalous));
        Assert.True(reading.Latest.Upper < 400, "the spike lies above the band it was scored against");
        Assert.Equal(
            FormattableString.Invariant($"400 against {reading.Latest.Expected:F3} in {reading.Latest.Lower:F3}..{reading.Latest.Upper:F3}, score {reading.Latest.Score:F2}"),
            firing.Annotations["summary"]);

        FeedSteady(test, 30, noise);
        Assert.Empty(test.Engine.GetActiveAlerts());
        await test.FlushAsync();
        var states = test.Engine.GetAlertHistory(kind: AlertHistoryKind.StateChange).Reverse().Select(e => (e.PreviousState!.Value, e.State)).ToList();
        Assert.Equal([(AlertState.Inactive, AlertState.Pending), (AlertState.Pending, AlertState.Firing), (AlertState.Firing, AlertState.Resolved)], states);
        Assert.Equal(["firing", "resolved"], test.Recorder.Statuses.Select(s => s.Status));
    }

    [Fact]
    public void A_rule_that_watches_only_drops_ignores_a_spike_and_scores_it_all_the_same()
    {
        using AlertTestEngine test = Engine(AlertRule.Create("QueueDrop").When("queue_depth").Anomalous(0.5, AnomalyDirection.Below).Build());
        FeedSteady(test, 200, new Random(3));

        test.Feed("queue_depth", 400);

        Assert.Empty(test.Engine.GetActiveAlerts());
        AnomalyPoint latest = Assert.Single(test.Engine.GetAnomalies()).Latest;
        Assert.True(latest.Score >= 0.5, $"the spike scores {latest.Score}");
        Assert.False(latest.Anomalous);
    }

    [Fact]
    public void Every_labelled_series_has_its_own_detector_and_a_series_that_stops_reporting_is_fed_missing_points()
    {
        using AlertTestEngine test = Engine(AlertRule.Create("QueueAnomaly").When("queue_depth").Anomalous().Build());
        for (int i = 0; i < 50; i++)
        {
            test.Engine.SetCustomMetric("queue_depth", 10, new Dictionary<string, string> { ["queue"] = "a" });
            test.Engine.SetCustomMetric("queue_depth", 1000, new Dictionary<string, string> { ["queue"] = "b" });
            test.Tick();
        }

        test.Engine.ClearCustomMetric("queue_depth");
        test.Tick();

        var series = test.Engine.GetAnomalies().OrderBy(r => r.Series, StringComparer.Ordinal).ToList();
        Assert.Equal(["queue_depth{queue=a}", "queue_depth{queue=b}"], series.Select(s => s.Series));
        Assert.All(series, s => Assert.True(double.IsNaN(s.Latest.Value)));
        Assert.All(series, s => Assert.Equal(51, s.Trail.Count));
    }
}
