using System.Globalization;
using System.Text.Json;
using Maran.Instrument.Alerts;

namespace Maran.Instrument.Tests.Alerts;

public class AlertmanagerChannelTests
{
    [AlertmanagerFact]
    public async Task Firing_alerts_reach_a_real_Alertmanager_are_resent_and_disappear_from_it_when_resolved()
    {
        using var alertmanager = new TestAlertmanager();
        await alertmanager.WaitReadyAsync();
        // A clock a minute behind the real one, so a resolution's end time is already past for the Alertmanager.
        using var test = new AlertTestEngine(
            o =>
            {
                o.Alerts.CustomMetrics.Add("queue_depth");
                o.Alerts.ExternalUrl = new Uri("http://127.0.0.1:8080/");
                o.Alerts.Channels.Alertmanager.Url = alertmanager.Url;
                o.Alerts.Channels.Alertmanager.ResendInterval = TimeSpan.FromSeconds(20);
            },
            start: DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()));
        test.Engine.AddRule(AlertRule.Create("QueueBacklog").When("queue_depth").Above(100).WithSeverity(AlertSeverity.Critical)
            .Label("team", "ingest").Annotation("summary", "{{ $value }} waiting").Build());
        test.Start();

        test.Feed("queue_depth", 150);
        await test.FlushAsync();

        JsonElement alert = Assert.Single(await alertmanager.AlertsAsync());
        JsonElement labels = alert.GetProperty("labels");
        Assert.Equal(("QueueBacklog", "critical", "ingest"), (labels.GetProperty("alertname").GetString(), labels.GetProperty("severity").GetString(), labels.GetProperty("team").GetString()));
        Assert.Equal("150 waiting", alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Equal("active", alert.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal("http://127.0.0.1:8080/", alert.GetProperty("generatorURL").GetString());
        DateTimeOffset startsAt = DateTimeOffset.Parse(alert.GetProperty("startsAt").GetString()!, CultureInfo.InvariantCulture);
        DateTimeOffset endsAt = DateTimeOffset.Parse(alert.GetProperty("endsAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(test.Time.GetUtcNow(), startsAt);
        Assert.Equal(TimeSpan.FromSeconds(80), endsAt - startsAt);

        test.Tick(2);
        await test.FlushAsync();
        Assert.Equal(2, test.Engine.GetAlertHistory(kind: AlertHistoryKind.Delivery).Count(e => e is { Channel: "alertmanager", Outcome: AlertDeliveryOutcome.Delivered }));

        test.Feed("queue_depth", 10);
        await test.FlushAsync();

        Assert.Empty(await alertmanager.AlertsAsync());
        Assert.Equal(3, test.Engine.GetAlertHistory(kind: AlertHistoryKind.Delivery).Count(e => e is { Channel: "alertmanager", Outcome: AlertDeliveryOutcome.Delivered }));
    }
}
