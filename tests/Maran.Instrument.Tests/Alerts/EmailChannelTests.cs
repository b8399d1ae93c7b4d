using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using MimeKit;

namespace Maran.Instrument.Tests.Alerts;

public class EmailChannelTests
{
    internal static AlertTestEngine Engine(TestSmtpServer server, string passwordFile)
    {
        var test = new AlertTestEngine(o =>
        {
            o.Alerts.CustomMetrics.Add("queue_depth");
            EmailChannelSettings email = o.Alerts.Channels.Email;
            email.Host = "127.0.0.1";
            email.Port = server.Port;
            email.Tls = SmtpTlsMode.StartTls;
            email.CaFile = server.CaFile;
            email.From = "maran@example.org";
            email.To = ["oncall@example.org", "ml@example.org"];
            email.Username = "maran";
            email.PasswordFile = passwordFile;
            email.Timeout = TimeSpan.FromSeconds(20);
            email.Retries = 2;
            email.Backoff = TimeSpan.FromMilliseconds(10);
        });
        test.Engine.AddRule(AlertRule.Create("QueueBacklog").When("queue_depth").Above(100).WithSeverity(AlertSeverity.Critical)
            .Annotation("summary", "{{ $labels.queue }} holds {{ $value }} items").Build());
        test.Start();
        return test;
    }

    [Fact]
    public async Task One_mail_per_group_goes_through_starttls_with_a_login_as_text_and_html_and_the_resolution_follows()
    {
        string folder = Directory.CreateTempSubdirectory("maran-smtp-").FullName;
        string passwordFile = Path.Combine(folder, "smtp-password");
        File.WriteAllText(passwordFile, "correct horse battery staple\n");
        using var server = new TestSmtpServer(folder, "maran", "correct horse battery staple");
        using AlertTestEngine test = Engine(server, passwordFile);

        test.Engine.SetCustomMetric("queue_depth", 150, new Dictionary<string, string> { ["queue"] = "ingest" });
        test.Engine.SetCustomMetric("queue_depth", 250, new Dictionary<string, string> { ["queue"] = "export" });
        test.Tick();
        await test.FlushAsync();

        MimeMessage firing = Assert.Single(server.Messages);
        Assert.Equal("[FIRING:2] QueueBacklog (critical)", firing.Subject);
        Assert.Equal("maran@example.org", firing.From.Mailboxes.Single().Address);
        Assert.Equal(["oncall@example.org", "ml@example.org"], firing.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("ingest holds 150 items", firing.TextBody, StringComparison.Ordinal);
        Assert.Contains("export holds 250 items", firing.TextBody, StringComparison.Ordinal);
        Assert.Contains("<td>summary</td><td>ingest holds 150 items</td>", firing.HtmlBody, StringComparison.Ordinal);
        Assert.Equal([("maran", true)], server.Logins);

        test.Engine.ClearCustomMetric("queue_depth");
        test.Tick();
        await test.FlushAsync();

        Assert.Equal(2, server.Messages.Count);
        Assert.Equal("[RESOLVED] QueueBacklog (critical)", server.Messages.Last().Subject);
        Assert.Equal(
            [AlertDeliveryOutcome.Delivered, AlertDeliveryOutcome.Delivered],
            test.Engine.GetAlertHistory(kind: AlertHistoryKind.Delivery).Where(e => e.Channel == "email").Select(e => e.Outcome!.Value));
        Directory.Delete(folder, recursive: true);
    }
}
