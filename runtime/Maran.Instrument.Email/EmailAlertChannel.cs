using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using MimeKit;

namespace Maran.Instrument;

/// <summary>
/// Sends one e-mail per notification (one rule's group of alerts) through SMTP with MailKit, as plain text and
/// HTML. TLS as configured; a private CA file can be trusted besides the system's.
/// </summary>
internal sealed class EmailAlertChannel : IAlertChannel
{
    private readonly EmailChannelSettings _settings;
    private readonly string? _password;
    private readonly X509Certificate2Collection? _trusted;

    public EmailAlertChannel(EmailChannelSettings settings, string? password)
    {
        _settings = settings;
        _password = password;
        Policy = new AlertDeliveryPolicy(settings.Timeout, settings.Retries, settings.Backoff);
        Secrets = password is { Length: > 0 } ? [password] : [];
        if (settings.CaFile is { Length: > 0 } caFile)
        {
            _trusted = [];
            _trusted.ImportFromPemFile(caFile);
        }
    }

    public string Name => "email";

    public AlertDeliveryPolicy Policy { get; }

    public TimeSpan? ResendInterval => null;

    public IReadOnlyList<string> Secrets { get; }

    public static EmailAlertChannel Create(EmailChannelSettings settings) =>
        new(settings, settings.Username is null ? null : AlertSecret.Read(settings.PasswordEnv, settings.PasswordFile));

    public async Task DeliverAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        MimeMessage message = Compose(notification);
        using var client = new SmtpClient
        {
            Timeout = (int)Math.Min(int.MaxValue, _settings.Timeout.TotalMilliseconds),
            ServerCertificateValidationCallback = ValidateCertificate,
        };
        SecureSocketOptions tls = _settings.Tls switch
        {
            SmtpTlsMode.Ssl => SecureSocketOptions.SslOnConnect,
            SmtpTlsMode.Auto => SecureSocketOptions.StartTlsWhenAvailable,
            SmtpTlsMode.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        try
        {
            await client.ConnectAsync(_settings.Host!, _settings.Port, tls, cancellationToken).ConfigureAwait(false);
            if (_settings.Username is { } user)
            {
                await client.AuthenticateAsync(new NetworkCredential(user, _password), cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException)
        {
            throw new AlertDeliveryException($"the SMTP server {_settings.Host}:{_settings.Port} refused the login of '{_settings.Username}'", retryable: false);
        }
        catch (SmtpCommandException ex)
        {
            bool permanent = (int)ex.StatusCode is >= 500 and < 600;
            throw new AlertDeliveryException($"the SMTP server {_settings.Host}:{_settings.Port} answered {(int)ex.StatusCode}: {ex.Message}", !permanent);
        }
    }

    /// <summary>The mail of one notification: subject like Alertmanager's (<c>[FIRING:2] HighCpu</c>), text and HTML bodies.</summary>
    internal MimeMessage Compose(AlertNotification notification)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_settings.From!));
        foreach (string to in _settings.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        int firing = notification.FiringCount;
        string status = firing > 0 ? $"FIRING:{firing}" : "RESOLVED";
        message.Subject = $"[{status}] {notification.Rule.Name} ({AlertRuleValidator.SeverityName(notification.Rule.Severity)})";
        var text = new StringBuilder();
        var html = new StringBuilder();
        html.Append("<html><body><h2>").Append(WebUtility.HtmlEncode(message.Subject)).Append("</h2>");
        foreach (Alert alert in notification.Alerts)
        {
            string state = alert.State == AlertState.Firing ? "firing" : "resolved";
            string since = AlertPayloads.Time(alert.FiredAt ?? alert.ActiveAt);
            text.Append('[').Append(state).Append("] ").Append(alert.RuleName).Append(" value=").Append(AlertTemplate.FormatNumber(alert.Value)).AppendLine();
            text.Append("  since ").Append(since);
            if (alert.ResolvedAt is { } resolved)
            {
                text.Append(", resolved ").Append(AlertPayloads.Time(resolved));
            }

            text.AppendLine();
            html.Append("<h3>").Append(WebUtility.HtmlEncode($"[{state}] {alert.RuleName}")).Append("</h3><table>");
            html.Append("<tr><td>value</td><td>").Append(WebUtility.HtmlEncode(AlertTemplate.FormatNumber(alert.Value))).Append("</td></tr>");
            html.Append("<tr><td>since</td><td>").Append(since).Append("</td></tr>");
            foreach ((string name, string value) in alert.Annotations.Concat(alert.Labels))
            {
                text.Append("  ").Append(name).Append(": ").Append(value).AppendLine();
                html.Append("<tr><td>").Append(WebUtility.HtmlEncode(name)).Append("</td><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
            }

            text.AppendLine();
            html.Append("</table>");
        }

        if (notification.ExternalUrl is { } url)
        {
            text.Append(url).AppendLine();
            html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(url.ToString())).Append("\">").Append(WebUtility.HtmlEncode(url.ToString())).Append("</a></p>");
        }

        html.Append("</body></html>");
        message.Body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = html.ToString() }.ToMessageBody();
        return message;
    }

    public void Dispose()
    {
        if (_trusted is not null)
        {
            foreach (X509Certificate2 certificate in _trusted)
            {
                certificate.Dispose();
            }
        }
    }

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None || _settings.InsecureSkipVerify)
        {
            return true;
        }

        if (_trusted is null || certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        // Trust the configured CA (or the server's own certificate) in place of the system store.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
