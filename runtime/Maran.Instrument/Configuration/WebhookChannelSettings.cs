using Maran.Instrument.Alerts;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>The <c>alerts.channels.webhook:</c> section; on when <see cref="Url"/> is set.</summary>
public sealed class WebhookChannelSettings
{
    /// <summary>Where the JSON is posted.</summary>
    [ConfigurationKeyName("url")]
    public Uri? Url { get; set; }

    /// <summary>Time allowed for one attempt (default 10s, at most 10m).</summary>
    [ConfigurationKeyName("timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts after the first when the receiver fails, times out or answers 429 or 5xx (default 3).</summary>
    [ConfigurationKeyName("retries")]
    public int Retries { get; set; } = 3;

    /// <summary>Wait before the first retry, doubled for each further one (default 1s, at most 10m).</summary>
    [ConfigurationKeyName("backoff")]
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Environment variable holding the HMAC-SHA256 key that signs each body.</summary>
    [ConfigurationKeyName("secret_env")]
    public string? SecretEnv { get; set; }

    /// <summary>File holding the HMAC-SHA256 key that signs each body.</summary>
    [ConfigurationKeyName("secret_file")]
    public string? SecretFile { get; set; }

    /// <summary>Header carrying <c>sha256=&lt;hex HMAC of the body&gt;</c> (default <c>X-Maran-Signature</c>).</summary>
    [ConfigurationKeyName("signature_header")]
    public string SignatureHeader { get; set; } = "X-Maran-Signature";

    internal void Validate(OptionsBinder binder, string prefix)
    {
        AlertChannelSettings.CheckHttpUrl(binder, $"{prefix}:url", Url);
        AlertChannelSettings.CheckDelivery(binder, prefix, Timeout, Retries, Backoff);
        if (string.IsNullOrWhiteSpace(SignatureHeader) || SignatureHeader.Any(c => c <= ' ' || c == ':'))
        {
            binder.Error($"{prefix}:signature_header", SignatureHeader, "a header name cannot be empty or hold spaces or ':'");
        }

        if (Url is not null)
        {
            AlertSecret.Validate(binder, prefix, "secret", SecretEnv, SecretFile);
        }
    }
}
