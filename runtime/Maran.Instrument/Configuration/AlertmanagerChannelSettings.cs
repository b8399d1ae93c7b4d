using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>The <c>alerts.channels.alertmanager:</c> section; on when <see cref="Url"/> is set.</summary>
public sealed class AlertmanagerChannelSettings
{
    /// <summary>The Alertmanager's base address, for example <c>http://127.0.0.1:9093</c>.</summary>
    [ConfigurationKeyName("url")]
    public Uri? Url { get; set; }

    /// <summary>Time allowed for one attempt (default 10s, at most 10m).</summary>
    [ConfigurationKeyName("timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts after the first (default 3; 0 to 20).</summary>
    [ConfigurationKeyName("retries")]
    public int Retries { get; set; } = 3;

    /// <summary>Wait before the first retry, doubled for each further one (default 1s, at most 10m).</summary>
    [ConfigurationKeyName("backoff")]
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often firing alerts are sent again so Alertmanager keeps them active (default 1m, as Prometheus; at most 1d).</summary>
    [ConfigurationKeyName("resend_interval")]
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal void Validate(OptionsBinder binder, string prefix)
    {
        AlertChannelSettings.CheckHttpUrl(binder, $"{prefix}:url", Url);
        AlertChannelSettings.CheckDelivery(binder, prefix, Timeout, Retries, Backoff);
        binder.CheckDuration($"{prefix}:resend_interval", ResendInterval, TimeSpan.Zero, TimeSpan.FromDays(1), "the resend interval");
    }
}
