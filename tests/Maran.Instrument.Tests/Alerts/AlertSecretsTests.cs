using Maran.Instrument.Alerts;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Tests.Alerts;

/// <summary>
/// Tests that read what monitoring reports (<see cref="MonitoringDiagnostics.Report"/> is process-wide), so they run
/// alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DiagnosticsReport
{
    public const string Name = "Diagnostics report";
}

[Collection(DiagnosticsReport.Name)]
public class AlertSecretsTests
{
    [Fact]
    public async Task The_webhook_secret_appears_in_no_console_line_report_or_history_row_even_when_the_receiver_echoes_it()
    {
        const string Secret = "hmac-key-4417-do-not-print";
        string variable = "MARAN_TEST_WEBHOOK_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Secret);
        using var receiver = new TestHttpReceiver(500) { Reason = "bad signature for key " + Secret };
        var console = new StringWriter();
        var reports = new List<string>();
        Action<string> previous = MonitoringDiagnostics.Report;
        MonitoringDiagnostics.Report = message =>
        {
            lock (reports)
            {
                reports.Add(message);
            }
        };
        try
        {
            using var test = new AlertTestEngine(o =>
            {
                o.Alerts.CustomMetrics.Add("queue_depth");
                o.Alerts.Channels.Console.Enabled = true;
                o.Alerts.Channels.Webhook.Url = receiver.Url;
                o.Alerts.Channels.Webhook.SecretEnv = variable;
                o.Alerts.Channels.Webhook.Retries = 1;
                o.Alerts.Channels.Webhook.Backoff = TimeSpan.FromMilliseconds(10);
            });
            test.Engine.ConsoleOutput = console;
            test.Engine.AddRule(AlertRule.Create("QueueBacklog").When("queue_depth").Above(100).Build());
            test.Start();

            test.Feed("queue_depth", 150);
            await test.FlushAsync();

            List<AlertHistoryEntry> attempts = WebhookChannelTests.Attempts(test);
            Assert.Equal(2, attempts.Count);
            Assert.All(attempts, a => Assert.Equal("HTTP 500 bad signature for key *** from " + receiver.Url, a.Detail));
            Assert.All(test.Engine.GetAlertHistory(), e => Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal));
            Assert.NotEmpty(console.ToString());
            Assert.DoesNotContain(Secret, console.ToString(), StringComparison.Ordinal);
            Assert.True(MonitoringDiagnostics.Flush());
            lock (reports)
            {
                Assert.All(reports, r => Assert.DoesNotContain(Secret, r, StringComparison.Ordinal));
            }
        }
        finally
        {
            MonitoringDiagnostics.Report = previous;
        }
    }

    [Fact]
    public async Task A_refused_login_is_recorded_once_without_retrying_and_the_password_appears_nowhere()
    {
        string folder = Directory.CreateTempSubdirectory("maran-smtp-").FullName;
        string passwordFile = Path.Combine(folder, "smtp-password");
        const string Wrong = "Wr0ng-Pa55word-7731";
        File.WriteAllText(passwordFile, Wrong);
        using var server = new TestSmtpServer(folder, "maran", "the real one");
        var reports = new List<string>();
        Action<string> previous = MonitoringDiagnostics.Report;
        MonitoringDiagnostics.Report = message =>
        {
            lock (reports)
            {
                reports.Add(message);
            }
        };
        try
        {
            using AlertTestEngine test = EmailChannelTests.Engine(server, passwordFile);

            test.Feed("queue_depth", 150);
            await test.FlushAsync();

            Assert.Empty(server.Messages);
            AlertHistoryEntry attempt = Assert.Single(test.Engine.GetAlertHistory(kind: AlertHistoryKind.Delivery), e => e.Channel == "email");
            Assert.Equal(AlertDeliveryOutcome.Failed, attempt.Outcome);
            Assert.Contains("refused the login of 'maran'", attempt.Detail, StringComparison.Ordinal);
            Assert.All(test.Engine.GetAlertHistory(), e => Assert.DoesNotContain(Wrong, e.ToString(), StringComparison.Ordinal));
            Assert.True(MonitoringDiagnostics.Flush());
            lock (reports)
            {
                Assert.All(reports, r => Assert.DoesNotContain(Wrong, r, StringComparison.Ordinal));
            }
        }
        finally
        {
            MonitoringDiagnostics.Report = previous;
            Directory.Delete(folder, recursive: true);
        }
    }
}
