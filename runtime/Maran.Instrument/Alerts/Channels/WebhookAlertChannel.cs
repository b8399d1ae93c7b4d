using System.Security.Cryptography;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Alerts;

/// <summary>
/// POSTs the Alertmanager webhook JSON (version 4) to a URL, signed with HMAC-SHA256 in a header
/// (<c>sha256=&lt;hex&gt;</c>) when a secret is configured.
/// </summary>
internal sealed class WebhookAlertChannel : IAlertChannel
{
    private readonly Uri _url;
    private readonly byte[]? _key;
    private readonly string _signatureHeader;
    private readonly HttpDelivery _http = new();

    public WebhookAlertChannel(Uri url, AlertDeliveryPolicy policy, string? secret, string signatureHeader)
    {
        _url = url;
        Policy = policy;
        _key = string.IsNullOrEmpty(secret) ? null : System.Text.Encoding.UTF8.GetBytes(secret);
        _signatureHeader = signatureHeader;
        Secrets = secret is { Length: > 0 } ? [secret] : [];
    }

    public string Name => "webhook";

    public AlertDeliveryPolicy Policy { get; }

    public TimeSpan? ResendInterval => null;

    public IReadOnlyList<string> Secrets { get; }

    public static WebhookAlertChannel Create(WebhookChannelSettings settings) =>
        new(settings.Url!, new AlertDeliveryPolicy(settings.Timeout, settings.Retries, settings.Backoff),
            AlertSecret.Read(settings.SecretEnv, settings.SecretFile), settings.SignatureHeader);

    public Task DeliverAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        byte[] body = AlertPayloads.Webhook(notification, "maran");
        var headers = new List<(string, string)>();
        if (_key is not null)
        {
            headers.Add((_signatureHeader, "sha256=" + Convert.ToHexString(HMACSHA256.HashData(_key, body)).ToLowerInvariant()));
        }

        return _http.PostAsync(_url, body, headers, cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
