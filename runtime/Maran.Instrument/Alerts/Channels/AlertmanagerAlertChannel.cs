using Maran.Instrument.Configuration;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Sends alerts to a Prometheus Alertmanager through <c>POST /api/v2/alerts</c>, and sends firing ones again every
/// resend interval (as Prometheus does) so Alertmanager keeps them active and resolves them if this process goes away.
/// </summary>
internal sealed class AlertmanagerAlertChannel : IAlertChannel
{
    private readonly Uri _endpoint;
    private readonly TimeSpan _resend;
    private readonly HttpDelivery _http = new();

    public AlertmanagerAlertChannel(Uri baseUrl, AlertDeliveryPolicy policy, TimeSpan resendInterval)
    {
        string root = baseUrl.ToString().TrimEnd('/');
        _endpoint = new Uri(root + "/api/v2/alerts");
        Policy = policy;
        _resend = resendInterval;
    }

    public string Name => "alertmanager";

    public AlertDeliveryPolicy Policy { get; }

    public TimeSpan? ResendInterval => _resend;

    public IReadOnlyList<string> Secrets => [];

    public static AlertmanagerAlertChannel Create(AlertmanagerChannelSettings settings) =>
        new(settings.Url!, new AlertDeliveryPolicy(settings.Timeout, settings.Retries, settings.Backoff), settings.ResendInterval);

    public Task DeliverAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        // As Prometheus: a firing alert stays active four resend intervals unless it is sent again.
        byte[] body = AlertPayloads.Alertmanager(notification, notification.At + (4 * _resend));
        return _http.PostAsync(_endpoint, body, [], cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
