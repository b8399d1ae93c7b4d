using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// The <c>alerts.channels:</c> section. Console and file are on by default; webhook, e-mail and Alertmanager are
/// on once their address is set.
/// </summary>
public sealed class AlertChannelSettings
{
    /// <summary>Standard output, coloured by severity.</summary>
    [ConfigurationKeyName("console")]
    public ConsoleChannelSettings Console { get; set; } = new();

    /// <summary>A JSON-lines file that rotates by size.</summary>
    [ConfigurationKeyName("file")]
    public FileChannelSettings File { get; set; } = new();

    /// <summary>An HTTP POST of the Alertmanager webhook JSON (version 4).</summary>
    [ConfigurationKeyName("webhook")]
    public WebhookChannelSettings Webhook { get; set; } = new();

    /// <summary>E-mail through an SMTP server, one mail per rule and evaluation.</summary>
    [ConfigurationKeyName("email")]
    public EmailChannelSettings Email { get; set; } = new();

    /// <summary>A Prometheus Alertmanager (<c>POST /api/v2/alerts</c>), which then routes, groups and deduplicates.</summary>
    [ConfigurationKeyName("alertmanager")]
    public AlertmanagerChannelSettings Alertmanager { get; set; } = new();

    internal void Validate(OptionsBinder binder, string prefix)
    {
        File.Validate(binder, $"{prefix}:file");
        Webhook.Validate(binder, $"{prefix}:webhook");
        Email.Validate(binder, $"{prefix}:email");
        Alertmanager.Validate(binder, $"{prefix}:alertmanager");
    }

    internal static void CheckDelivery(OptionsBinder binder, string prefix, TimeSpan timeout, int retries, TimeSpan backoff)
    {
        binder.CheckDuration($"{prefix}:timeout", timeout, TimeSpan.Zero, TimeSpan.FromMinutes(10), "the timeout");
        binder.CheckRange($"{prefix}:retries", retries, 0, 20, "retries");
        binder.CheckDuration($"{prefix}:backoff", backoff, TimeSpan.Zero, TimeSpan.FromMinutes(10), "the back-off", minIncluded: true);
    }

    internal static void CheckHttpUrl(OptionsBinder binder, string key, Uri? url)
    {
        if (url is not null && url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            binder.Error(key, binder.ValueAt(key) ?? url.ToString(), "the address must start with http:// or https://");
        }
    }
}
