using System.Text.Json;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Maran.Instrument.Tests.Alerts;

[Collection(RuntimeSwitches.Name)]
public class AlertingEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_custom_metric_over_its_threshold_goes_pending_then_fires_through_every_channel_into_history_and_resolves()
    {
        string folder = Directory.CreateTempSubdirectory("maran-e2e-").FullName;
        string passwordVariable = "MARAN_TEST_SMTP_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(passwordVariable, "e2e smtp password");
        using var webhook = new TestHttpReceiver(200);
        using var smtp = new TestSmtpServer(folder, "maran", "e2e smtp password");
        using TestAlertmanager? alertmanager = TestAlertmanager.Binary is null ? null : new TestAlertmanager();
        if (alertmanager is null)
        {
            output.WriteLine("prometheus-alertmanager is not installed: this run checks every channel but Alertmanager.");
        }
        else
        {
            await alertmanager.WaitReadyAsync();
        }

        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = Path.Combine(folder, "data");
        options.Monitoring.LogsDirectory = Path.Combine(folder, "logs");
        options.Monitoring.HealthCheckInterval = 10;
        AlertSettings alerts = options.Alerts;
        alerts.DefaultRules = false;
        alerts.CustomMetrics.Add("queue_depth");
        alerts.Rules.Add(new AlertRuleOptions
        {
            Name = "QueueBacklog",
            Metric = "queue_depth",
            Comparison = ">",
            Threshold = 100,
            For = TimeSpan.FromSeconds(30),
            Severity = AlertSeverity.Critical,
            Annotations = { ["summary"] = "{{ $value }} jobs waiting" },
        });
        alerts.Channels.Console.Color = ConsoleColorMode.Never;
        alerts.Channels.Webhook.Url = webhook.Url;
        alerts.Channels.Email.Host = "127.0.0.1";
        alerts.Channels.Email.Port = smtp.Port;
        alerts.Channels.Email.CaFile = smtp.CaFile;
        alerts.Channels.Email.From = "maran@example.org";
        alerts.Channels.Email.To = ["oncall@example.org"];
        alerts.Channels.Email.Username = "maran";
        alerts.Channels.Email.PasswordEnv = passwordVariable;
        alerts.Channels.Alertmanager.Url = alertmanager?.Url;
        string[] channels = alertmanager is null ? ["console", "file", "webhook", "email"] : ["alertmanager", "console", "email", "file", "webhook"];
        // A clock a minute behind the real one: a firing alert's end (4 resend intervals on) lies ahead of the
        // Alertmanager's clock, a resolved one's behind it.
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()));
        var console = new StringWriter();
        using (var system = new AdvancedMonitoringSystem(options, time))
        {
            system.Alerts.ConsoleOutput = console;
            system.Start();

            system.Alerts.SetCustomMetric("queue_depth", 150);
            time.Advance(TimeSpan.FromSeconds(10));
            Alert pending = Assert.Single(system.GetDashboardData().Alerts);
            Assert.Equal(("QueueBacklog", AlertState.Pending), (pending.RuleName, pending.State));
            time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(AlertState.Firing, Assert.Single(system.GetDashboardData().Alerts).State);
            await system.Alerts.FlushAsync().WaitAsync(AlertTestEngine.Patience);

            Assert.Contains("FIRING critical QueueBacklog value=150 - 150 jobs waiting", console.ToString(), StringComparison.Ordinal);
            string line = Assert.Single(File.ReadAllLines(Path.Combine(folder, "logs", "alerts.jsonl")));
            Assert.Equal("firing", JsonDocument.Parse(line).RootElement.GetProperty("status").GetString());
            Assert.Equal("firing", JsonDocument.Parse(Assert.Single(webhook.Requests).Body).RootElement.GetProperty("status").GetString());
            Assert.Equal("[FIRING:1] QueueBacklog (critical)", Assert.Single(smtp.Messages).Subject);
            if (alertmanager is not null)
            {
                JsonElement held = Assert.Single(await alertmanager.AlertsAsync());
                Assert.Equal("QueueBacklog", held.GetProperty("labels").GetProperty("alertname").GetString());
            }

            system.Alerts.SetCustomMetric("queue_depth", 20);
            time.Advance(TimeSpan.FromSeconds(10));
            Assert.Empty(system.GetDashboardData().Alerts);
            await system.Alerts.FlushAsync().WaitAsync(AlertTestEngine.Patience);

            Assert.Contains("RESOLVED critical QueueBacklog value=20", console.ToString(), StringComparison.Ordinal);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "logs", "alerts.jsonl")).Length);
            Assert.Equal("resolved", JsonDocument.Parse(webhook.Requests.Last().Body).RootElement.GetProperty("status").GetString());
            Assert.Equal("[RESOLVED] QueueBacklog (critical)", smtp.Messages.Last().Subject);
            if (alertmanager is not null)
            {
                Assert.Empty(await alertmanager.AlertsAsync());
            }

            IReadOnlyList<AlertHistoryEntry> history = system.Alerts.GetAlertHistory(rule: "QueueBacklog");
            Assert.Equal(
                [AlertState.Pending, AlertState.Firing, AlertState.Resolved],
                history.Where(e => e.Kind == AlertHistoryKind.StateChange).Reverse().Select(e => e.State));
            var delivered = history.Where(e => e is { Kind: AlertHistoryKind.Delivery, Outcome: AlertDeliveryOutcome.Delivered }).ToList();
            Assert.Equal(channels.Order(), delivered.Where(e => e.State == AlertState.Firing).Select(e => e.Channel!).Order());
            Assert.Equal(channels.Order(), delivered.Where(e => e.State == AlertState.Resolved).Select(e => e.Channel!).Order());
            Assert.DoesNotContain(history, e => e.Outcome is AlertDeliveryOutcome.Failed or AlertDeliveryOutcome.Dropped);
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "data", "maran.db")};Pooling=false"))
        {
            connection.Open();
            using SqliteCommand count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM alert_history WHERE rule = 'QueueBacklog' AND kind = 'statechange'";
            Assert.Equal(3L, count.ExecuteScalar());
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void The_health_monitor_feeds_the_default_rules_from_its_thresholds_and_custom_metrics()
    {
        string folder = Directory.CreateTempSubdirectory("maran-e2e-").FullName;
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = Path.Combine(folder, "data");
        options.Monitoring.LogsDirectory = Path.Combine(folder, "logs");
        options.Monitoring.HealthCheckInterval = 10;
        options.Monitoring.HealthThresholds["queue_depth"] = 250;
        options.Alerts.DefaultFor = TimeSpan.Zero;
        options.Alerts.Channels.Console.Enabled = false;
        options.Alerts.Channels.File.Enabled = false;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        using (var system = new AdvancedMonitoringSystem(options, time))
        {
            system.Start();
            system.HealthMonitor.SetCustomMetric("queue_depth", 300);
            time.Advance(TimeSpan.FromSeconds(10));
            time.Advance(TimeSpan.FromSeconds(10));

            Alert queue = Assert.Single(system.Alerts.GetActiveAlerts(), a => a.RuleName == "health_queue_depth");
            Assert.Equal((AlertState.Firing, 300.0), (queue.State, queue.Value));
            // Memory is read from one sample; CPU needs the kernel's counters to move between two, which fake time cannot make them do.
            AlertRuleStatus cpu = system.Alerts.GetRuleStatus().Single(s => s.Rule.Name == "health_cpu_percent");
            Assert.True(cpu.Connected);
            AlertRuleStatus memory = system.Alerts.GetRuleStatus().Single(s => s.Rule.Name == "health_memory_percent");
            Assert.True(memory.Connected);
            Assert.Equal(1, memory.Series);
        }

        Directory.Delete(folder, recursive: true);
    }
}
