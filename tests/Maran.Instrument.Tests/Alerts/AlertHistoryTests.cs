using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Tests.Alerts;

public class AlertHistoryTests
{
    private static void AddRules(AlertEngine engine)
    {
        engine.AddRule(AlertRule.Create("Backlog").When("queue_depth").Above(100).Build());
        engine.AddRule(AlertRule.Create("Backlog").When("queue_depth").Above(500).WithSeverity(AlertSeverity.Critical).Build());
        engine.AddRule(AlertRule.Create("Idle").When("queue_depth").Below(1).WithSeverity(AlertSeverity.Info).Build());
    }

    private static AlertTestEngine Engine(Action<MonitoringOptions>? configure = null)
    {
        var test = new AlertTestEngine(o =>
        {
            o.Alerts.CustomMetrics.Add("queue_depth");
            configure?.Invoke(o);
        });
        AddRules(test.Engine);
        test.Start();
        return test;
    }

    // 09:00:10 warning fires; 09:00:20 critical fires; 09:00:30 both resolve; 09:00:40 idle fires.
    private static async Task<DateTimeOffset> PlayAsync(AlertTestEngine test)
    {
        DateTimeOffset start = test.Time.GetUtcNow();
        test.Feed("queue_depth", 200);
        test.Feed("queue_depth", 800);
        test.Feed("queue_depth", 50);
        test.Feed("queue_depth", 0);
        await test.FlushAsync();
        return start;
    }

    [Fact]
    public async Task History_is_queryable_by_time_rule_severity_state_and_kind()
    {
        using AlertTestEngine test = Engine();
        DateTimeOffset start = await PlayAsync(test);

        IReadOnlyList<AlertHistoryEntry> firing = test.Engine.GetAlertHistory(state: AlertState.Firing, kind: AlertHistoryKind.StateChange);
        Assert.Equal([("Idle", AlertSeverity.Info), ("Backlog", AlertSeverity.Critical), ("Backlog", AlertSeverity.Warning)], firing.Select(e => (e.Rule, e.Severity)));
        Assert.Equal([start.AddSeconds(40), start.AddSeconds(20), start.AddSeconds(10)], firing.Select(e => e.Time));

        IReadOnlyList<AlertHistoryEntry> critical = test.Engine.GetAlertHistory(rule: "Backlog", severity: AlertSeverity.Critical, kind: AlertHistoryKind.StateChange);
        Assert.Equal([AlertState.Resolved, AlertState.Firing, AlertState.Pending], critical.Select(e => e.State));
        AlertHistoryEntry resolved = critical[0];
        Assert.Equal((50.0, start.AddSeconds(20), "critical"), (resolved.Value, resolved.FiringSince, resolved.Labels["severity"]));

        IReadOnlyList<AlertHistoryEntry> window = test.Engine.GetAlertHistory(since: start.AddSeconds(25), until: start.AddSeconds(35), kind: AlertHistoryKind.StateChange);
        Assert.Equal(2, window.Count);
        Assert.All(window, e => Assert.Equal(AlertState.Resolved, e.State));

        IReadOnlyList<AlertHistoryEntry> deliveries = test.Engine.GetAlertHistory(kind: AlertHistoryKind.Delivery, rule: "Idle");
        AlertHistoryEntry delivery = Assert.Single(deliveries);
        Assert.Equal(("recorder", 1, AlertDeliveryOutcome.Delivered, AlertState.Firing, 1), (delivery.Channel, delivery.Attempt, delivery.Outcome, delivery.State, delivery.AlertCount));

        Assert.Equal(2, test.Engine.GetAlertHistory(limit: 2).Count);
    }

    [Fact]
    public async Task History_written_by_one_run_is_read_back_by_the_next()
    {
        using AlertTestEngine first = Engine();
        await PlayAsync(first);
        first.Engine.Stop();
        first.Database.Stop();
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = first.Options.Monitoring.DataDirectory;
        var second = new AlertEngine(options, new AlertHistoryStore(new MaranDatabase(options, first.Time)), first.Time);

        IReadOnlyList<AlertHistoryEntry> read = second.GetAlertHistory(kind: AlertHistoryKind.StateChange);

        Assert.Equal(8, read.Count);
        Assert.Equal(("Idle", AlertState.Firing), (read[0].Rule, read[0].State));
        AlertAnalysis analysis = second.GetAlertAnalysis();
        Assert.False(analysis.FromMemoryOnly);
        Assert.Equal(3, analysis.FiredBySeverity.Values.Sum());
    }

    [Fact]
    public async Task Without_a_database_history_and_analysis_answer_from_memory()
    {
        using AlertTestEngine test = Engine(o => o.Storage.Enabled = false);
        DateTimeOffset start = await PlayAsync(test);

        IReadOnlyList<AlertHistoryEntry> firing = test.Engine.GetAlertHistory(state: AlertState.Firing, kind: AlertHistoryKind.StateChange);
        AlertAnalysis analysis = test.Engine.GetAlertAnalysis(TimeSpan.FromHours(1));

        Assert.Equal(3, firing.Count);
        Assert.True(analysis.FromMemoryOnly);
        Assert.Equal((1, 1, 1), (analysis.FiredBySeverity[AlertSeverity.Info], analysis.FiredBySeverity[AlertSeverity.Warning], analysis.FiredBySeverity[AlertSeverity.Critical]));
        Assert.Equal(TimeSpan.FromSeconds(15), analysis.MeanTimeToResolve);
        Assert.Equal(start.AddSeconds(40), analysis.Until);
        Assert.False(File.Exists(Path.Combine(test.Options.Monitoring.DataDirectory, "maran.db")));
    }
}
