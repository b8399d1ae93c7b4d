using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Tests.Alerts;

public class WebhookChannelTests
{
    private static AlertTestEngine Engine(TestHttpReceiver receiver, Action<WebhookChannelSettings>? configure = null)
    {
        var test = new AlertTestEngine(o =>
        {
            o.Alerts.CustomMetrics.Add("queue_depth");
            o.Alerts.ExternalUrl = new Uri("http://127.0.0.1:8080/");
            o.Alerts.Channels.Webhook.Url = receiver.Url;
            o.Alerts.Channels.Webhook.Timeout = TimeSpan.FromSeconds(10);
            o.Alerts.Channels.Webhook.Backoff = TimeSpan.FromMilliseconds(10);
            configure?.Invoke(o.Alerts.Channels.Webhook);
        });
        test.Engine.AddRule(AlertRule.Create("QueueBacklog").When("queue_depth").Above(100).WithSeverity(AlertSeverity.Critical)
            .Label("team", "ingest").Annotation("summary", "{{ $value }} waiting").Build());
        test.Start();
        return test;
    }

    internal static List<AlertHistoryEntry> Attempts(AlertTestEngine test) =>
        [.. test.Engine.GetAlertHistory(kind: AlertHistoryKind.Delivery).Where(e => e.Channel == "webhook").OrderBy(e => e.Attempt)];

    [Fact]
    public async Task The_body_is_the_Alertmanager_webhook_json_signed_with_the_secret()
    {
        string variable = "MARAN_TEST_WEBHOOK_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "s3cret-key");
        using var receiver = new TestHttpReceiver(200);
        using AlertTestEngine test = Engine(receiver, w => w.SecretEnv = variable);

        test.Feed("queue_depth", 150);
        await test.FlushAsync();

        (Dictionary<string, string> headers, byte[] body) = Assert.Single(receiver.Requests);
        string expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret-key"), body)).ToLowerInvariant();
        Assert.Equal(expected, headers["X-Maran-Signature"]);
        Assert.StartsWith("application/json", headers["Content-Type"], StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(body);
        JsonElement root = json.RootElement;
        Assert.Equal(("4", "firing", "maran", 0), (root.GetProperty("version").GetString(), root.GetProperty("status").GetString(), root.GetProperty("receiver").GetString(), root.GetProperty("truncatedAlerts").GetInt32()));
        Assert.Equal("{}:{alertname=\"QueueBacklog\"}", root.GetProperty("groupKey").GetString());
        Assert.Equal("QueueBacklog", root.GetProperty("groupLabels").GetProperty("alertname").GetString());
        Assert.Equal("ingest", root.GetProperty("commonLabels").GetProperty("team").GetString());
        Assert.Equal("http://127.0.0.1:8080/", root.GetProperty("externalURL").GetString());
        JsonElement alert = Assert.Single(root.GetProperty("alerts").EnumerateArray());
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        Assert.Equal("critical", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Equal("150 waiting", alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Equal("2026-11-02T09:00:10.000Z", alert.GetProperty("startsAt").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", alert.GetProperty("endsAt").GetString());
        Assert.Equal(Assert.Single(test.Engine.GetActiveAlerts()).Fingerprint, alert.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task Server_errors_are_retried_with_back_off_and_every_attempt_is_recorded()
    {
        using var receiver = new TestHttpReceiver(500, 503, 200);
        using AlertTestEngine test = Engine(receiver, w => w.Retries = 3);

        test.Feed("queue_depth", 150);
        await test.FlushAsync();

        List<AlertHistoryEntry> attempts = Attempts(test);
        Assert.Equal(
            [(1, AlertDeliveryOutcome.Failed), (2, AlertDeliveryOutcome.Failed), (3, AlertDeliveryOutcome.Delivered)],
            attempts.Select(a => (a.Attempt!.Value, a.Outcome!.Value)));
        Assert.StartsWith("HTTP 500", attempts[0].Detail, StringComparison.Ordinal);
        Assert.StartsWith("HTTP 503", attempts[1].Detail, StringComparison.Ordinal);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        using var receiver = new TestHttpReceiver(400);
        using AlertTestEngine test = Engine(receiver, w => w.Retries = 3);

        test.Feed("queue_depth", 150);
        await test.FlushAsync();

        AlertHistoryEntry attempt = Assert.Single(Attempts(test));
        Assert.Equal((AlertDeliveryOutcome.Failed, "HTTP 400 Bad Request from " + receiver.Url), (attempt.Outcome, attempt.Detail));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_times_out_each_attempt_without_holding_up_other_channels()
    {
        using var receiver = new TestHttpReceiver(0);
        using AlertTestEngine test = Engine(receiver, w =>
        {
            w.Timeout = TimeSpan.FromMilliseconds(200);
            w.Retries = 1;
        });

        test.Feed("queue_depth", 150);
        await test.FlushAsync();

        Assert.Single(test.Recorder.Received);
        List<AlertHistoryEntry> attempts = Attempts(test);
        Assert.Equal([1, 2], attempts.Select(a => a.Attempt!.Value));
        Assert.All(attempts, a => Assert.Equal((AlertDeliveryOutcome.Failed, "no answer within 0.2s"), (a.Outcome!.Value, a.Detail)));
        Assert.Equal(new AlertChannelStatistics(0, 2, 0), test.Engine.GetAlertAnalysis().Channels["webhook"]);
    }

    [Fact]
    public async Task A_refused_connection_is_recorded_as_a_failure_and_monitoring_goes_on()
    {
        int closed = TestHttpReceiver.FreePort();
        using var test = new AlertTestEngine(o =>
        {
            o.Alerts.CustomMetrics.Add("queue_depth");
            o.Alerts.Channels.Webhook.Url = new Uri($"http://127.0.0.1:{closed}/hook");
            o.Alerts.Channels.Webhook.Retries = 0;
        });
        test.Engine.AddRule(AlertRule.Create("QueueBacklog").When("queue_depth").Above(100).Build());
        test.Start();

        test.Feed("queue_depth", 150);
        await test.FlushAsync();
        test.Feed("queue_depth", 10);
        await test.FlushAsync();

        Assert.Equal(2, test.Recorder.Received.Count);
        Assert.All(Attempts(test), a => Assert.Contains("HttpRequestException", a.Detail, StringComparison.Ordinal));
    }
}
