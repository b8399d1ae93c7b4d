using System.Diagnostics;
using Maran.Instrument.Alerts;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Alerts;

public class AlertStateMachineTests
{
    private static AlertRule Rule(string metric, double threshold, TimeSpan? forDuration = null, TimeSpan? keepFiringFor = null, AlertSeverity severity = AlertSeverity.Warning, string name = "QueueBacklog") =>
        AlertRule.Create(name).When(metric).Above(threshold)
            .For(forDuration ?? TimeSpan.FromSeconds(30))
            .KeepFiringFor(keepFiringFor ?? TimeSpan.Zero)
            .WithSeverity(severity)
            .Annotation("summary", "{{ $labels.alertname }} at {{ $value }} (limit {{ $threshold }})")
            .Build();

    private static AlertTestEngine Engine(params AlertRule[] rules)
    {
        var test = new AlertTestEngine(o => o.Alerts.CustomMetrics.Add("queue_depth"));
        foreach (AlertRule rule in rules)
        {
            test.Engine.AddRule(rule);
        }

        test.Start();
        return test;
    }

    [Fact]
    public async Task A_value_over_the_threshold_is_pending_until_for_has_passed_then_fires_and_resolves_when_it_drops()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.FromSeconds(30)));

        test.Feed("queue_depth", 150);
        Assert.Equal(AlertState.Pending, test.StateOf("QueueBacklog"));
        test.Tick(2);
        Assert.Equal(AlertState.Pending, test.StateOf("QueueBacklog"));
        test.Tick();
        Assert.Equal(AlertState.Firing, test.StateOf("QueueBacklog"));
        Alert firing = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.Equal("QueueBacklog at 150 (limit 100)", firing.Annotations["summary"]);
        Assert.Equal(test.Time.GetUtcNow() - TimeSpan.FromSeconds(30), firing.ActiveAt);

        test.Feed("queue_depth", 20);
        Assert.Empty(test.Engine.GetActiveAlerts());
        await test.FlushAsync();

        Assert.Equal([("firing", firing.Fingerprint), ("resolved", firing.Fingerprint)], test.Recorder.Statuses);
        AlertNotification resolved = test.Recorder.Received.Last();
        Assert.Equal(AlertState.Resolved, resolved.Alerts[0].State);
        Assert.Equal(test.Time.GetUtcNow(), resolved.Alerts[0].ResolvedAt);
        var states = test.Engine.GetAlertHistory(kind: AlertHistoryKind.StateChange).Reverse().Select(e => (e.PreviousState, e.State)).ToList();
        Assert.Equal(
            [(AlertState.Inactive, AlertState.Pending), (AlertState.Pending, AlertState.Firing), (AlertState.Firing, AlertState.Resolved)],
            states.Select(s => (s.PreviousState!.Value, s.State)));
    }

    [Fact]
    public void A_rule_without_for_fires_at_the_first_evaluation_that_sees_the_value()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.Zero));

        test.Feed("queue_depth", 101);

        Assert.Equal(AlertState.Firing, test.StateOf("QueueBacklog"));
    }

    [Fact]
    public async Task A_value_that_flaps_faster_than_for_never_fires_and_each_bounce_is_recorded()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.FromSeconds(30)));

        for (int i = 0; i < 4; i++)
        {
            test.Feed("queue_depth", 150);
            Assert.Equal(AlertState.Pending, test.StateOf("QueueBacklog"));
            test.Feed("queue_depth", 50);
            Assert.Null(test.StateOf("QueueBacklog"));
        }

        await test.FlushAsync();
        Assert.Empty(test.Recorder.Received);
        AlertRuleStatistics statistics = Assert.Single(test.Engine.GetAlertAnalysis().Rules);
        Assert.Equal((0, 4, false), (statistics.Fired, statistics.PendingCleared, statistics.Flapping));
    }

    [Fact]
    public async Task Keep_firing_for_holds_a_firing_alert_through_a_short_dip_and_resolves_after_a_long_one()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.Zero, keepFiringFor: TimeSpan.FromSeconds(25)));

        test.Feed("queue_depth", 150);
        test.Feed("queue_depth", 50, intervals: 2);
        Assert.Equal(AlertState.Firing, test.StateOf("QueueBacklog"));
        test.Feed("queue_depth", 150);
        test.Feed("queue_depth", 50, intervals: 2);
        Assert.Equal(AlertState.Firing, test.StateOf("QueueBacklog"));
        test.Tick();
        Assert.Null(test.StateOf("QueueBacklog"));

        await test.FlushAsync();
        Assert.Equal(["firing", "resolved"], test.Recorder.Statuses.Select(s => s.Status));
    }

    [Fact]
    public async Task A_rule_that_fires_and_resolves_again_and_again_is_reported_as_flapping()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.Zero));

        for (int i = 0; i < 3; i++)
        {
            test.Feed("queue_depth", 150);
            test.Feed("queue_depth", 50);
        }

        await test.FlushAsync();
        AlertAnalysis analysis = test.Engine.GetAlertAnalysis(TimeSpan.FromHours(1));
        Assert.Equal(["QueueBacklog"], analysis.FlappingRules);
        AlertRuleStatistics rule = Assert.Single(analysis.Rules);
        Assert.Equal((3, 3), (rule.Fired, rule.Resolved));
        Assert.Equal(TimeSpan.FromSeconds(10), rule.MeanTimeToResolve);
        Assert.Equal(3, analysis.FiredBySeverity[AlertSeverity.Warning]);
        Assert.Equal(new AlertChannelStatistics(6, 0, 0), analysis.Channels["recorder"]);
    }

    [Fact]
    public async Task A_still_firing_alert_is_notified_again_after_the_repeat_interval_and_not_before()
    {
        using var test = new AlertTestEngine(o =>
        {
            o.Alerts.CustomMetrics.Add("queue_depth");
            o.Alerts.RepeatInterval = TimeSpan.FromMinutes(1);
        });
        test.Engine.AddRule(Rule("queue_depth", 100, TimeSpan.Zero));
        test.Start();

        test.Feed("queue_depth", 150);
        test.Tick(5);
        await test.FlushAsync();
        Assert.Single(test.Recorder.Received);
        test.Tick();
        await test.FlushAsync();

        Assert.Equal([AlertNotificationKind.Changed, AlertNotificationKind.Repeat], test.Recorder.Received.Select(n => n.Kind));
    }

    [Fact]
    public async Task A_firing_critical_alert_holds_back_the_warning_with_the_same_labels_until_it_resolves()
    {
        using AlertTestEngine test = Engine(
            Rule("queue_depth", 100, TimeSpan.Zero, severity: AlertSeverity.Warning, name: "Backlog"),
            Rule("queue_depth", 500, TimeSpan.Zero, severity: AlertSeverity.Critical, name: "Backlog"));

        test.Feed("queue_depth", 800);
        await test.FlushAsync();
        Alert warning = test.Engine.GetActiveAlerts().Single(a => a.Severity == AlertSeverity.Warning);
        Assert.StartsWith("inhibited by critical alert", warning.SuppressedBy, StringComparison.Ordinal);
        Assert.Equal([AlertSeverity.Critical], test.Recorder.Received.Select(n => n.Rule.Severity));

        test.Feed("queue_depth", 300);
        await test.FlushAsync();

        Assert.Equal(
            [(AlertSeverity.Critical, "firing"), (AlertSeverity.Critical, "resolved"), (AlertSeverity.Warning, "firing")],
            test.Recorder.Received.Select(n => (n.Rule.Severity, n.Status)).OrderBy(n => n.Item1 == AlertSeverity.Warning).ThenBy(n => n.Item2));
    }

    [Fact]
    public async Task A_silence_holds_back_notifications_until_it_expires()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.Zero));
        Silence silence = test.Engine.AddSilence(new Dictionary<string, string> { ["alertname"] = "QueueBacklog" }, TimeSpan.FromSeconds(25), "deploying");

        test.Feed("queue_depth", 150);
        await test.FlushAsync();
        Assert.Empty(test.Recorder.Received);
        Assert.Equal($"silence {silence.Id}", Assert.Single(test.Engine.GetActiveAlerts()).SuppressedBy);
        Assert.Equal([silence], test.Engine.GetSilences());

        test.Tick(2);
        await test.FlushAsync();

        Assert.Empty(test.Engine.GetSilences());
        Assert.Equal(["firing"], test.Recorder.Statuses.Select(s => s.Status));
    }

    [Fact]
    public async Task An_expired_silence_lets_notifications_through_at_the_next_evaluation()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.Zero));
        Silence silence = test.Engine.AddSilence(new Dictionary<string, string> { ["severity"] = "warning" });
        test.Feed("queue_depth", 150);

        Assert.True(test.Engine.ExpireSilence(silence.Id));
        Assert.False(test.Engine.ExpireSilence(silence.Id));
        test.Tick();
        await test.FlushAsync();

        Assert.Single(test.Recorder.Received);
    }

    [Fact]
    public void Each_labelled_series_is_its_own_alert_and_its_fingerprint_depends_only_on_the_labels()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.Zero));

        test.Engine.SetCustomMetric("queue_depth", 150, new Dictionary<string, string> { ["queue"] = "ingest", ["region"] = "eu" });
        test.Engine.SetCustomMetric("queue_depth", 150, new Dictionary<string, string> { ["region"] = "eu", ["queue"] = "ingest" });
        test.Engine.SetCustomMetric("queue_depth", 160, new Dictionary<string, string> { ["queue"] = "export", ["region"] = "eu" });
        test.Tick();

        IReadOnlyList<Alert> alerts = test.Engine.GetActiveAlerts();
        Assert.Equal(2, alerts.Count);
        Alert ingest = alerts.Single(a => a.Labels["queue"] == "ingest");
        var labels = new Dictionary<string, string> { ["severity"] = "warning", ["region"] = "eu", ["alertname"] = "QueueBacklog", ["queue"] = "ingest" };
        Assert.Equal(AlertInstance.FingerprintOf(labels), ingest.Fingerprint);
        Assert.NotEqual(ingest.Fingerprint, alerts.Single(a => a.Labels["queue"] == "export").Fingerprint);
    }

    [Fact]
    public void A_metric_that_stops_reporting_resolves_its_alert()
    {
        using AlertTestEngine test = Engine(Rule("queue_depth", 100, TimeSpan.Zero));
        test.Feed("queue_depth", 150);

        test.Engine.ClearCustomMetric("queue_depth");
        test.Tick();

        Assert.Empty(test.Engine.GetActiveAlerts());
        Assert.Equal(0, Assert.Single(test.Engine.GetRuleStatus()).Series);
    }

    [Fact]
    public void A_health_metric_reports_no_data_until_a_source_is_connected_and_then_fires()
    {
        using var test = new AlertTestEngine(o =>
        {
            o.Alerts.DefaultRules = true;
            o.Alerts.DefaultFor = TimeSpan.Zero;
        });
        test.Start();
        test.Tick();

        Assert.Equal(["health_cpu_percent", "health_disk_percent", "health_memory_percent"], test.Engine.Rules.Select(r => r.Name).Order());
        Assert.All(test.Engine.GetRuleStatus(), s => Assert.False(s.Connected));
        Assert.Empty(test.Engine.GetActiveAlerts());

        test.Engine.Metrics.Connect(AlertMetrics.CpuPercent, () => 93.5);
        test.Tick();

        Alert cpu = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.Equal(("health_cpu_percent", AlertState.Firing), (cpu.RuleName, cpu.State));
        Assert.Equal("cpu_percent is 93.5, above its threshold of 80", cpu.Annotations["summary"]);
    }

    [Fact]
    public void Error_count_and_rate_over_a_window_come_from_the_change_between_evaluations()
    {
        string component = "alerts-" + Guid.NewGuid().ToString("N");
        using var test = new AlertTestEngine();
        test.Engine.AddRule(AlertRule.Create("Errors").When(AlertMetrics.OperationErrors).ForOperation("call", component).Above(2).Over(TimeSpan.FromSeconds(20)).Build());
        test.Engine.AddRule(AlertRule.Create("ErrorRate").When(AlertMetrics.OperationErrorRate).ForOperation("call", component).Above(0.5).Over(TimeSpan.FromSeconds(20)).Build());
        var profiler = new PerformanceProfiler();
        Run(profiler, component, ok: 10, failed: 10);
        test.Start();

        test.Tick();
        Assert.Empty(test.Engine.GetActiveAlerts());
        Run(profiler, component, ok: 1, failed: 3);
        test.Tick();

        Alert errors = test.Engine.GetActiveAlerts().Single(a => a.RuleName == "Errors");
        Assert.Equal(3, errors.Value);
        Assert.Equal((component, "call"), (errors.Labels["component"], errors.Labels["operation"]));
        Assert.Equal(0.75, test.Engine.GetActiveAlerts().Single(a => a.RuleName == "ErrorRate").Value);

        Run(profiler, component, ok: 4, failed: 0);
        test.Tick(2);
        Assert.Empty(test.Engine.GetActiveAlerts());
    }

    [Fact]
    public void Mean_duration_over_a_window_is_the_mean_of_the_calls_timed_since_the_window_began()
    {
        string component = "alerts-" + Guid.NewGuid().ToString("N");
        using var test = new AlertTestEngine();
        test.Engine.AddRule(AlertRule.Create("SlowMean").When(AlertMetrics.OperationMeanMs).ForOperation("call", component).Above(4).Over(TimeSpan.FromSeconds(20)).Build());
        var profiler = new PerformanceProfiler();
        Run(profiler, component, ok: 1, failed: 0);
        RecorderCell cell = OperationRegistry.Find("call", component)!.ThreadCell;
        Timed(cell, milliseconds: 100, calls: 10);
        test.Start();

        test.Tick();
        Assert.Empty(test.Engine.GetActiveAlerts());
        Timed(cell, milliseconds: 2, calls: 3);
        Timed(cell, milliseconds: 14, calls: 1);
        test.Tick();

        // The 10 slow calls before the first evaluation are the baseline: the window holds 3 of 2 ms and 1 of 14 ms.
        Alert slow = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.Equal(("SlowMean", 5.0), (slow.RuleName, Math.Round(slow.Value, 6)));
        Assert.Equal((component, "call"), (slow.Labels["component"], slow.Labels["operation"]));
    }

    private static void Timed(RecorderCell cell, int milliseconds, int calls)
    {
        for (int i = 0; i < calls; i++)
        {
            cell.Started++;
            cell.Succeeded++;
            cell.RecordTimed(Stopwatch.GetTimestamp(), Stopwatch.Frequency * milliseconds / 1000, OperationStatus.Success);
        }
    }

    private static void Run(PerformanceProfiler profiler, string component, int ok, int failed)
    {
        for (int i = 0; i < ok + failed; i++)
        {
            OperationToken token = profiler.StartOperation("call", component);
            profiler.EndOperation(token, i < ok ? OperationStatus.Success : OperationStatus.Error, i < ok ? null : new InvalidOperationException("boom"));
        }
    }
}
